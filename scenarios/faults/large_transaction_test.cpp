// A large transaction that spans a fault: open while the fault starts, committed while it is
// still in effect, so Debezium decodes and ships all of it only after the heal. Every row must
// arrive (at least once), each in that one transaction, in statement order. The faults run in
// turn on one connector, each once the pipeline caught up with the one before, and each
// transaction is judged on its own rows: one ctest test per fault reads that judgement
// (CDC_FAULT_ALONE=1 runs each alone).
#include <gtest/gtest.h>

#include <iostream>
#include <memory>
#include <pqxx/pqxx>
#include <set>

#include "harness/checkers/change_checks.hpp"
#include "harness/common/progress.hpp"
#include "harness/connector/connector_lifecycle.hpp"
#include "harness/experiment/experiment.hpp"
#include "harness/faults/fault_catalogue.hpp"
#include "harness/stack/backend.hpp"
#include "scenarios/anomaly_printing.hpp"
#include "scenarios/e2e/pipeline.hpp"
#include "scenarios/faults/fault_run.hpp"
#include "scenarios/faults/survived.hpp"

namespace cdc::scenarios {
namespace {
using nlohmann::json;

constexpr int kStatements = 20, kRowsPerStatement = 1000;

// The faults a transaction can outlive (a Postgres restart would abort it).
const std::vector<std::string> kFaults = {"connect-crash", "kafka-crash", "walsender-terminated",
                                          "connect-postgres-cut"};

// Writes the rows of `rows` in one transaction: `fault` starts when half of it is written,
// nothing committed yet, and heals after the commit. Returns Debezium's txId for it.
int64_t write_across(const Pipeline& pipeline, const Fault& fault, const BulkRows& rows) {
  int64_t xid = 0;
  pqxx::connection conn(pipeline.endpoints.app.conninfo());
  pqxx::work tx(conn);
  // Debezium's txId is the 32-bit xid; txid_current() carries the epoch above it.
  xid = tx.exec1("SELECT txid_current()")[0].as<int64_t>() & 0xffffffffLL;
  for (int s = 0; s < kStatements; ++s) {
    if (s == kStatements / 2) fault.start();
    tx.exec_params(
        "INSERT INTO customers (first_name, last_name, email) SELECT 'Big', 'Tx', $1 || '-' "
        "|| g || '@example.com' FROM generate_series($2::int, $3::int) g",
        rows.tag(), s * kRowsPerStatement, (s + 1) * kRowsPerStatement - 1);
  }
  tx.commit();  // while the fault is in effect
  fault.heal();
  return xid;
}

// The events whose key is one of `expected`'s.
std::vector<ChangeEvent> of_keys(const std::vector<ChangeEvent>& events,
                                 const std::vector<ExpectedChange>& expected) {
  std::set<std::string> keys;
  for (const auto& change : expected) keys.insert(change.key.dump());
  std::vector<ChangeEvent> out;
  for (const auto& event : events) {
    if (keys.contains(event.key.dump())) out.push_back(event);
  }
  return out;
}

json large_transactions_across(const std::vector<std::string>& faults) {
  const auto& pipeline = Pipeline::shared();
  const std::string tag = unique_tag("bigtx");
  std::vector<std::unique_ptr<BulkRows>> rows;  // deleted after the connector is gone
  ScopedConnector connector(pipeline, tag, restart_soon_after_retriable_errors);
  CustomersScene scene(pipeline, connector.config(), "bigtx");
  scene.reader.next();  // the snapshot
  ConnectorHandle(pipeline.endpoints.connect_url, connector.config().name)
      .wait_until_snapshot_committed();
  auto stack = make_stack_backend(pipeline.stack, pipeline.run_dir);
  const Progress progress;
  std::vector<int64_t> xids;
  for (const auto& name : faults) {
    rows.push_back(std::make_unique<BulkRows>(pipeline, tag + "-" + std::to_string(rows.size())));
    const Fault fault =
        make_fault(name, FaultTarget{*stack, pipeline.endpoints, connector.config()});
    progress.stage("fault", name + " across a transaction of " +
                                std::to_string(kStatements * kRowsPerStatement) + " rows");
    xids.push_back(write_across(pipeline, fault, *rows.back()));
    progress.stage("fault", name + " healed after the commit; waiting until caught up");
    // Caught up before the next fault; the row confirmed past is none of the judged ones.
    wait_until_caught_up(pipeline.endpoints, connector.config(),
                         [&] { scene.workload.insert("After", "TheFault"); });
    progress.stage("fault", "caught up");
  }
  const auto events = scene.reader.next_settled();
  progress.stage("fault", std::to_string(events.size()) + " events read; judging");
  json out{{"faults", json::object()}};
  for (size_t i = 0; i < faults.size(); ++i) {
    std::vector<ExpectedChange> expected = rows[i]->expected_creates();
    for (auto& change : expected) change.tx_id = xids[i];  // all of them in the one transaction
    const Verdict verdict =
        check_events(of_keys(events, expected), expected,
                     customers_rules(pipeline, connector.config(), Delivery::AtLeastOnce));
    out["faults"][faults[i]] = {{"rows", expected.size()},
                                {"lost", verdict.count(AnomalyKind::Lost)},
                                {"order", verdict.count(AnomalyKind::Order)},
                                {"duplicates", verdict.count(AnomalyKind::Duplicate)},
                                {"ok", verdict.ok()},
                                {"summary", verdict.summary().substr(0, 2000)}};
  }
  return out;
}

class LargeTransactions : public ::testing::TestWithParam<std::string> {};

TEST_P(LargeTransactions, OneOpenAcrossAFaultArrivesWhole) {
  const FaultLoad load = load_for(GetParam(), {"large-transactions", kFaults});
  const json judged =
      judged_once(load.name, [&] { return large_transactions_across(load.faults); });
  ASSERT_FALSE(judged.contains("error"))
      << "the run of " << json(load.faults).dump() << " failed: " << judged["error"];
  const json& mine = judged["faults"].at(GetParam());
  const std::string summary = mine["summary"];
  std::cout << "[ fault ] " << GetParam() << " across a " << mine["rows"]
            << "-row transaction: " << mine["lost"] << " lost, " << mine["duplicates"]
            << " duplicates\n";
  ASSERT_EQ(mine["rows"], kStatements * kRowsPerStatement);
  EXPECT_EQ(mine["lost"], 0) << summary;
  EXPECT_EQ(mine["order"], 0) << summary;
  EXPECT_TRUE(mine["ok"].get<bool>()) << summary;
}

INSTANTIATE_TEST_SUITE_P(Faults, LargeTransactions, ::testing::ValuesIn(kFaults), fault_test_name);

}  // namespace
}  // namespace cdc::scenarios
