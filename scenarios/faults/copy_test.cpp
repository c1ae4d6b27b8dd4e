// COPY writes many rows per WAL record (heap_multi_insert), so its events share one LSN.
// Upstream lost such events after a restart mid-COPY (debezium/dbz#1554, fixed in 3.7): the
// task resumed at the committed LSN and skipped the rest of the record's rows. Here the
// Connect worker is killed while Debezium streams a large COPY, and every row is judged.
#include <gtest/gtest.h>

#include <iostream>
#include <pqxx/pqxx>

#include "harness/checkers/change_checks.hpp"
#include "harness/common/progress.hpp"
#include "harness/common/timeouts.hpp"
#include "harness/common/wait.hpp"
#include "harness/connector/connector_lifecycle.hpp"
#include "harness/stack/backend.hpp"
#include "scenarios/e2e/pipeline.hpp"

namespace cdc::scenarios {
namespace {
using nlohmann::json;
using namespace std::chrono_literals;

TEST(CopyBatches, AConnectCrashWhileACopyStreamsLosesNoRow) {
  constexpr int kRows = 60000;
  const auto& pipeline = Pipeline::shared();
  const std::string tag = unique_tag("copy");
  const BulkRows rows(pipeline, tag);  // deleted after the connector is gone
  ScopedConnector connector(pipeline, tag);
  CustomersScene scene(pipeline, connector.config(), "copy");
  scene.reader.next();  // the snapshot
  ConnectorHandle(pipeline.endpoints.connect_url, connector.config().name)
      .wait_until_snapshot_committed();

  // One COPY, one transaction: rows arrive in batches that share a WAL record and an LSN.
  {
    pqxx::connection conn(pipeline.endpoints.app.conninfo());
    pqxx::work tx(conn);
    pqxx::stream_to copy(tx, "customers",
                         std::vector<std::string>{"first_name", "last_name", "email"});
    for (int i = 0; i < kRows; ++i) {
      copy << std::make_tuple("Copy", "Batch", tag + "-" + std::to_string(i) + "@example.com");
    }
    copy.complete();
    tx.commit();
  }
  // Crash the worker once Connect has committed an offset inside the COPY (its LSN is one
  // the COPY's events carry) and Debezium has not yet sent them all.
  const auto& seen = scene.observer.collect_until(
      "the COPY's first events", scaled(60s),
      [&](const std::vector<ChangeEvent>& events) { return events.size() >= 1000; });
  const int64_t copy_lsn = *seen.front().source.lsn;
  ConnectorHandle handle(pipeline.endpoints.connect_url, connector.config().name);
  std::string committed_lsn = "none";
  wait_for("Connect to commit an offset inside the COPY (LSN >= " + std::to_string(copy_lsn) + ")",
           scaled(60s), [&] {
             for (const auto& entry : handle.offsets().value("offsets", json::array())) {
               const json offset = entry.value("offset", json::object());
               if (offset.contains("lsn") && offset["lsn"].get<int64_t>() >= copy_lsn)
                 return Probe<bool>::ready(true);
               committed_lsn = offset.dump();
             }
             return Probe<bool>::not_yet("committed offset " + committed_lsn);
           });
  auto stack = make_stack_backend(pipeline.stack, pipeline.run_dir);
  stack->act_on(Component::Connect, ComponentAction::Kill, Progress(true));
  // How far Kafka got before the crash: the topic's end, read now (the observer lags).
  const size_t at_crash = scene.observer
                              .collect_until("the events Kafka holds", scaled(60s),
                                             [&](const std::vector<ChangeEvent>&) {
                                               return !scene.observer.poll(200ms);
                                             })
                              .size();
  stack->act_on(Component::Connect, ComponentAction::Start, Progress(true));
  wait_until_streaming(pipeline.endpoints, connector.config());

  // What the COPY committed, as Postgres has it.
  std::vector<ExpectedChange> expected;
  {
    pqxx::connection conn(pipeline.endpoints.app.conninfo());
    pqxx::nontransaction tx(conn);
    for (const auto& row : tx.exec_params(
             "SELECT id, row_to_json(c) FROM customers c WHERE email LIKE $1 ORDER BY id",
             tag + "-%@example.com")) {
      expected.push_back(
          expect::create({{"id", row[0].as<int>()}}).with_after(json::parse(row[1].c_str())));
    }
  }
  ASSERT_EQ(expected.size(), static_cast<size_t>(kRows));
  const auto events = scene.reader.next_settled();
  const Verdict verdict = check_events(
      events, expected, customers_rules(pipeline, connector.config(), Delivery::AtLeastOnce));
  std::cout << "[ fault ] copy of " << kRows << " rows, Connect killed after " << at_crash
            << " of its events had reached Kafka: " << verdict.count(AnomalyKind::Lost) << " lost, "
            << verdict.count(AnomalyKind::Duplicate) << " duplicates\n";
  EXPECT_EQ(verdict.count(AnomalyKind::Lost), 0u) << verdict.summary().substr(0, 2000);
  EXPECT_EQ(verdict.count(AnomalyKind::Order), 0u) << verdict.summary().substr(0, 2000);
}

}  // namespace
}  // namespace cdc::scenarios
