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
  CustomersWorkload workload(pipeline.endpoints.app, unique_tag("slot-lost"));
  const Mutation in_the_gap = workload.insert("Gone", "ForGood");
  {
    // About 100 MB of WAL in a table nobody captures.
    pqxx::connection conn(pipeline.endpoints.admin.conninfo());
    pqxx::nontransaction tx(conn);
    tx.exec0("CREATE TABLE IF NOT EXISTS public.wal_filler (pad text)");
    tx.exec0(
        "INSERT INTO public.wal_filler SELECT repeat('x', 1000) FROM generate_series(1, 90000)");
    tx.exec0("DROP TABLE public.wal_filler");
    const std::string filled = tx.exec1("SELECT pg_current_wal_lsn()::text")[0].c_str();
    // Every other slot moves past the filler before the limit is set, or Postgres invalidates
    // them too (the stack's own connector's was, and Debezium retried it for the rest of the
    // suite). A slot restarts from a point its decoder found (a checkpoint logs one) once its
    // connector confirmed past it, and Debezium confirms only with an event: each round
    // writes a checkpoint and a change, until every other slot has moved past.
    CustomersWorkload nudges(pipeline.endpoints.app, unique_tag("slot-kept"));
    wait_for(
        "every other slot to restart past the filler's end " + filled, scaled(60s),
        [&] {
          const auto behind = tx.exec_params(
              "SELECT string_agg(slot_name || ' restarts at ' || coalesce(restart_lsn::text, "
              "'none') || ', confirmed ' || coalesce(confirmed_flush_lsn::text, 'none'), '; ') "
              "FROM pg_replication_slots WHERE slot_name <> $1 AND (restart_lsn IS NULL OR "
              "restart_lsn < $2::pg_lsn)",
              connector.config().slot_name(), filled);
          if (behind[0][0].is_null()) return Probe<bool>::ready(true);
          tx.exec0("CHECKPOINT");
          nudges.insert("Past", "TheFiller");
          return Probe<bool>::not_yet(behind[0][0].c_str());
        },
        1000ms);
    const SlotWalLimit limit(pipeline.endpoints.admin, "32MB");
    // pg_reload_conf() only signals: the checkpointer can take the next checkpoint before it
    // has read the limit (a fresh-clone run saw no slot lost after one), so each round
    // checkpoints again until a slot is lost.
    std::string lost;
    wait_for(
        "a checkpoint under max_slot_wal_keep_size 32MB to invalidate a slot", scaled(30s),
        [&] {
          tx.exec1("SELECT pg_switch_wal()");
          tx.exec0("CHECKPOINT");
          std::string statuses;
          lost.clear();
          for (const auto& row :
               tx.exec("SELECT slot_name, wal_status FROM pg_replication_slots ORDER BY 1")) {
            const std::string name = row[0].c_str(), status = row[1].c_str();
            statuses += (statuses.empty() ? "" : ", ") + name + " " + status;
            if (status == "lost") lost += (lost.empty() ? "" : ", ") + name;
          }
          return lost.empty() ? Probe<bool>::not_yet(statuses) : Probe<bool>::ready(true);
        },
        1000ms);
    ASSERT_EQ(lost, connector.config().slot_name())
        << "the stopped slot, and only it, must be invalidated";
  }
  bool streams = false;
  std::string error;
  try {
    handle.request_resume();
    wait_until_streaming(pipeline.endpoints, connector.config());
    streams = true;
  } catch (const HarnessError& e) {
    error = e.what();
  }
  if (!streams) {
    // Loud: the connector never streams again (Debezium 3.4 retries to obtain a valid slot,
    // "attempt 1 out of 900", every 2 s), and the wait says so at once, naming the slot.
    std::cout << "[ fault ] slot invalidated; resuming the connector ended with: "
              << error.substr(0, 400) << "\n";
    EXPECT_THAT(error, HasSubstr("invalidated its slot"));
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
