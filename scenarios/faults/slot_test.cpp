// The replication slot is where at-least-once lives. Two ways to lose it, and proof that the
// harness never passes either silently.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <iostream>
#include <pqxx/pqxx>

#include "harness/common/errors.hpp"
#include "harness/common/timeouts.hpp"
#include "harness/common/wait.hpp"
#include "harness/connector/connector_lifecycle.hpp"
#include "harness/connector/replication_slot.hpp"
#include "scenarios/anomaly_printing.hpp"
#include "scenarios/e2e/pipeline.hpp"
#include "scenarios/faults/fault_run.hpp"

namespace cdc::scenarios {
namespace {
using namespace std::chrono_literals;
using ::testing::Each;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::Not;

// slot.drop.on.stop=true drops the slot when the connector stops; resumed, it would stream
// from a new slot that starts at the present. Debezium 3.4 notices that its offset is no
// longer on the server and fails the task rather than skip what was written meanwhile.
TEST(SlotDroppedOnStop, TheConnectorFailsLoudlyRatherThanSkipWhatWasWrittenWhileStopped) {
  std::string error;
  try {
    run_fault_under_load("connector-stop",
                         [](nlohmann::json& c) { c["slot.drop.on.stop"] = "true"; });
  } catch (const HarnessError& e) {
    error = e.what();
  }
  EXPECT_THAT(error, HasSubstr("FAILED"));
  EXPECT_THAT(error, HasSubstr("no longer available on the server"));
}

// Proof that a fault can lose changes and the suite says so: while the connector is stopped,
// its slot is dropped and its offsets reset (an operator's clean-up gone wrong), and it
// resumes without a snapshot (snapshot.mode=no_data) on a new slot that starts at the present.
// What was committed while it was stopped is never streamed: each change is reported lost,
// by key.
TEST(SlotAndOffsetsLost, ChangesWrittenWhileStoppedAreReportedLostByKey) {
  const FaultRun run = run_fault_under_load(
      [](const FaultTarget& t) {
        const std::string url = t.endpoints.connect_url, name = t.connector.name;
        const std::string slot = t.connector.slot_name();
        const PostgresEndpoint admin = t.endpoints.admin;
        return Fault{"slot-and-offsets-dropped",
                     "PUT /stop, DELETE /offsets, pg_drop_replication_slot ... PUT /resume",
                     FaultKind::Crash,
                     [=] {
                       ConnectorHandle handle(url, name);
                       handle.stop();
                       handle.reset_offsets();
                       drop_replication_slot(admin, slot);
                     },
                     [=] { ConnectorHandle(url, name).resume(); }};
      },
      [](nlohmann::json& c) { c["snapshot.mode"] = "no_data"; });
  std::cout << "[ fault ] " << run.summary() << "\n";
  EXPECT_GT(run.verdict.count(AnomalyKind::Lost), 0u) << run.verdict.summary();
  for (const auto& a : run.verdict.anomalies) {
    if (a.kind == AnomalyKind::Lost) {
      EXPECT_TRUE(a.key.contains("id")) << a.evidence;
    }
  }
}

// Sets max_slot_wal_keep_size for as long as it lives; the server's own value after.
class SlotWalLimit {
 public:
  SlotWalLimit(const PostgresEndpoint& admin, const std::string& size) : admin_(admin) {
    set("ALTER SYSTEM SET max_slot_wal_keep_size = '" + size + "'");
  }
  ~SlotWalLimit() {
    try {
      set("ALTER SYSTEM RESET max_slot_wal_keep_size");
    } catch (const std::exception& e) {
      std::cerr << "warning: max_slot_wal_keep_size not reset: " << e.what() << "\n";
    }
  }

 private:
  void set(const std::string& sql) {
    pqxx::connection conn(admin_.conninfo());
    pqxx::nontransaction tx(conn);
    tx.exec0(sql);
    tx.exec1("SELECT pg_reload_conf()");
  }
  PostgresEndpoint admin_;
};

// A stopped connector's slot falls behind max_slot_wal_keep_size and Postgres invalidates
// it. The changes in between are gone from the WAL: the pipeline must fail loudly when the
// connector resumes. A connector that streams on past the gap is the one outcome the harness
// must never pass.
TEST(SlotInvalidated, TheConnectorFailsLoudlyInsteadOfSkippingTheGap) {
  const auto& pipeline = Pipeline::shared();
  ScopedConnector connector(pipeline, unique_tag("slot-lost"));
  ConnectorHandle handle(pipeline.endpoints.connect_url, connector.config().name);
  handle.wait_until_snapshot_committed();
  handle.stop();
  const SlotWalLimit limit(pipeline.endpoints.admin, "32MB");
  CustomersWorkload workload(pipeline.endpoints.app, unique_tag("slot-lost"));
  const Mutation in_the_gap = workload.insert("Gone", "ForGood");
  {
    // About 100 MB of WAL in a table nobody captures, then a checkpoint: past the limit.
    pqxx::connection conn(pipeline.endpoints.admin.conninfo());
    pqxx::nontransaction tx(conn);
    tx.exec0("CREATE TABLE IF NOT EXISTS public.wal_filler (pad text)");
    tx.exec0(
        "INSERT INTO public.wal_filler SELECT repeat('x', 1000) FROM generate_series(1, 90000)");
    tx.exec0("DROP TABLE public.wal_filler");
    tx.exec1("SELECT pg_switch_wal()");
    tx.exec0("CHECKPOINT");
    const auto status =
        tx.exec_params1("SELECT wal_status FROM pg_replication_slots WHERE slot_name = $1",
                        connector.config().slot_name());
    ASSERT_EQ(std::string(status[0].c_str()), "lost") << "the slot was not invalidated";
  }
  bool streams = false;
  std::string error;
  try {
    handle.resume();
    wait_until_streaming(pipeline.endpoints, connector.config());
    streams = true;
  } catch (const HarnessError& e) {
    error = e.what();
  }
  if (!streams) {
    // Loud: the connector never streams again (Debezium 3.4 keeps retrying to obtain a valid
    // slot, or fails the task), and the wait says what it saw.
    std::cout << "[ fault ] slot invalidated; resuming the connector ended with: "
              << error.substr(0, 300) << "\n";
    EXPECT_FALSE(error.empty());
    return;
  }
  // Streaming again past the gap: then the harness must name what the gap swallowed.
  TopicObserver observer(pipeline.endpoints.kafka_bootstrap, connector.config().change_topic());
  const auto events = FencedReader(observer, fence_with(workload)).next();
  const Verdict verdict =
      check_events(events, expected_changes(std::vector<Mutation>{in_the_gap}),
                   customers_rules(pipeline, connector.config(), Delivery::AtLeastOnce));
  EXPECT_EQ(verdict.count(AnomalyKind::Lost), 1u)
      << "the connector streamed on past an invalidated slot and the harness did not notice: "
      << verdict.summary();
}

}  // namespace
}  // namespace cdc::scenarios
