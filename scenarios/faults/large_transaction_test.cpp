// A large transaction that spans a fault: open while the fault starts, committed while it is
// still in effect, so Debezium decodes and ships all of it only after the heal. Every row must
// arrive (at least once), each in that one transaction, in statement order.
#include <gtest/gtest.h>

#include <iostream>
#include <pqxx/pqxx>

#include "harness/checkers/change_checks.hpp"
#include "harness/common/progress.hpp"
#include "harness/connector/connector_lifecycle.hpp"
#include "harness/faults/fault_catalogue.hpp"
#include "harness/stack/backend.hpp"
#include "scenarios/anomaly_printing.hpp"
#include "scenarios/e2e/pipeline.hpp"

namespace cdc::scenarios {
namespace {
using nlohmann::json;

class LargeTransactions : public ::testing::TestWithParam<std::string> {};

TEST_P(LargeTransactions, OneOpenAcrossAFaultArrivesWhole) {
  constexpr int kStatements = 20, kRowsPerStatement = 1000;
  const auto& pipeline = Pipeline::shared();
  const std::string tag = unique_tag("bigtx");
  const BulkRows rows(pipeline, tag);  // deleted after the connector is gone
  ScopedConnector connector(pipeline, tag);
  CustomersScene scene(pipeline, connector.config(), "bigtx");
  scene.reader.next();  // the snapshot
  ConnectorHandle(pipeline.endpoints.connect_url, connector.config().name)
      .wait_until_snapshot_committed();
  auto stack = make_stack_backend(pipeline.stack, pipeline.run_dir);
  const Fault fault =
      make_fault(GetParam(), FaultTarget{*stack, pipeline.endpoints, connector.config()});

  int64_t xid = 0;
  {
    pqxx::connection conn(pipeline.endpoints.app.conninfo());
    pqxx::work tx(conn);
    // Debezium's txId is the 32-bit xid; txid_current() carries the epoch above it.
    xid = tx.exec1("SELECT txid_current()")[0].as<int64_t>() & 0xffffffffLL;
    for (int s = 0; s < kStatements; ++s) {
      if (s == kStatements / 2) fault.start();  // half written, nothing committed yet
      tx.exec_params(
          "INSERT INTO customers (first_name, last_name, email) SELECT 'Big', 'Tx', $1 || '-' "
          "|| g || '@example.com' FROM generate_series($2::int, $3::int) g",
          tag, s * kRowsPerStatement, (s + 1) * kRowsPerStatement - 1);
    }
    tx.commit();  // while the fault is in effect
  }
  fault.heal();
  wait_until_streaming(pipeline.endpoints, connector.config());

  std::vector<ExpectedChange> expected = rows.expected_creates();
  for (auto& change : expected) change.tx_id = xid;  // all of them in the one transaction
  ASSERT_EQ(expected.size(), static_cast<size_t>(kStatements * kRowsPerStatement));
  const auto events = scene.reader.next_settled();
  const Verdict verdict = check_events(
      events, expected, customers_rules(pipeline, connector.config(), Delivery::AtLeastOnce));
  std::cout << "[ fault ] " << GetParam() << " across a " << expected.size()
            << "-row transaction: " << verdict.count(AnomalyKind::Lost) << " lost, "
            << verdict.count(AnomalyKind::Duplicate) << " duplicates\n";
  EXPECT_EQ(verdict.count(AnomalyKind::Lost), 0u) << verdict.summary().substr(0, 2000);
  EXPECT_EQ(verdict.count(AnomalyKind::Order), 0u) << verdict.summary().substr(0, 2000);
  EXPECT_TRUE(verdict.ok()) << verdict.summary().substr(0, 2000);
}

std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  for (char& c : name) c = (c == '-') ? '_' : c;
  return name;
}

// The faults a transaction can outlive (a Postgres restart would abort it).
INSTANTIATE_TEST_SUITE_P(Faults, LargeTransactions,
                         ::testing::Values("connect-crash", "kafka-crash", "walsender-terminated",
                                           "connect-postgres-cut"),
                         test_name);

}  // namespace
}  // namespace cdc::scenarios
