// Transaction metadata, a large transaction, and what table.include.list leaves out.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "harness/checkers/transaction_metadata.hpp"
#include "harness/common/timeouts.hpp"
#include "harness/common/wait.hpp"
#include "harness/observer/envelope_decoder.hpp"
#include "harness/observer/topic_reader.hpp"
#include "harness/stack/kafka_admin.hpp"
#include "scenarios/e2e/own_table.hpp"

namespace cdc::scenarios {
namespace {
using nlohmann::json;
using namespace std::chrono_literals;
using ::testing::Contains;
using ::testing::HasSubstr;

// Reads <prefix>.transaction until the END marker of `tx_id` has arrived.
std::vector<TransactionMarker> markers_through_end(const Pipeline& pipeline,
                                                   const ConnectorConfig& connector,
                                                   int64_t tx_id) {
  TopicReader reader(pipeline.endpoints.kafka_bootstrap, connector.topic_prefix() + ".transaction");
  std::vector<TransactionMarker> markers;
  wait_for("the END marker of transaction " + std::to_string(tx_id), scaled(30s), [&] {
    while (auto record = reader.poll(100ms)) {
      if (record->value)
        markers.push_back(decode_transaction_marker(*record->value, record->position));
    }
    const bool ended = std::any_of(markers.begin(), markers.end(), [&](const TransactionMarker& m) {
      return m.status == "END" && m.tx_id() == tx_id;
    });
    if (ended) return Probe<bool>::ready(true);
    return Probe<bool>::not_yet(
        std::to_string(markers.size()) + " markers" +
        (reader.last_trouble().empty() ? "" : " (kafka: " + reader.last_trouble() + ")"));
  });
  return markers;
}

int64_t tx_of(const std::vector<ChangeEvent>& events) {
  for (const auto& e : events) {
    if (e.op == Op::Update) return *e.source.tx_id;
  }
  throw std::runtime_error("no update event among the transaction's events");
}

const char* kFourChanges =
    "INSERT INTO {t} (a) VALUES ('one'), ('two'); INSERT INTO {t} (a) VALUES ('three'); "
    "UPDATE {t} SET a = 'one again' WHERE a = 'one'";

TEST(TransactionMetadata, BeginAndEndFrameEachTransactionWithContiguousOrders) {
  const auto& pipeline = Pipeline::shared();
  OwnTable table(pipeline, "txmeta",
                 table_with("a text", [](json& c) { c["provide.transaction.metadata"] = "true"; }));
  table.exec(kFourChanges);
  const auto events = table.next();
  const int64_t tx = tx_of(events);
  const auto markers = markers_through_end(pipeline, table.connector(), tx);
  const Verdict verdict = check_transaction_metadata(events, markers, tx);
  EXPECT_TRUE(verdict.ok()) << verdict.summary();
  const auto end = std::find_if(markers.begin(), markers.end(), [&](const TransactionMarker& m) {
    return m.status == "END" && m.tx_id() == tx;
  });
  ASSERT_NE(end, markers.end());
  EXPECT_EQ(end->event_count, 4);
  EXPECT_EQ(end->data_collections, (std::map<std::string, int64_t>{{table.qualified(), 4}}));
}

// Proof: without transaction metadata the same check names what is missing.
TEST(TransactionMetadata, EventsWithoutMetadataAreReported) {
  const auto& pipeline = Pipeline::shared();
  OwnTable table(pipeline, "txmeta_off", table_with("a text", [](json& c) {
                   c["provide.transaction.metadata"] = "false";
                 }));
  table.exec(kFourChanges);
  const auto events = table.next();
  const Verdict verdict = check_transaction_metadata(events, {}, tx_of(events));
  EXPECT_THAT(verdict.failures, Contains(HasSubstr("has no BEGIN marker")));
  EXPECT_THAT(verdict.failures, Contains(HasSubstr("has no transaction metadata")));
}

TEST(LargeTransaction, TenThousandRowsArriveAllInOrderWithOneTxId) {
  constexpr int kRows = 10000;
  OwnTable table(Pipeline::shared(), "large_tx", table_with("n integer"));
  table.exec("INSERT INTO {t} (n) SELECT g FROM generate_series(1, " + std::to_string(kRows) +
             ") g");
  const auto events = table.next();
  ASSERT_FALSE(events.empty()) << "no events for the transaction";
  const auto tx = events.front().source.tx_id;
  int expected_n = 1;
  int first_id = 0;
  std::vector<std::string> failures;
  for (const auto& e : events) {
    if (failures.size() >= 5) break;
    if (e.op != Op::Create || e.source.tx_id != tx) {
      failures.push_back("unexpected " + brief(e));
      continue;
    }
    const int n = (*e.after)["n"];
    if (first_id == 0) first_id = (*e.after)["id"].get<int>() - n + 1;
    if (n != expected_n)
      failures.push_back("out of order: row n=" + std::to_string(n) +
                         " where n=" + std::to_string(expected_n) + " was due (" + brief(e) + ")");
    expected_n = n + 1;
  }
  EXPECT_TRUE(failures.empty()) << ::testing::PrintToString(failures);
  EXPECT_EQ(events.size(), static_cast<size_t>(kRows)) << "rows lost or duplicated";
}

// No topic of the cluster carries `table`'s changes.
Verdict check_no_topic_for(const Pipeline& pipeline, const std::string& table) {
  Verdict verdict;
  for (const auto& topic : kafka_topics(pipeline.endpoints.kafka_bootstrap, scaled(10s))) {
    if (topic.size() >= table.size() &&
        topic.compare(topic.size() - table.size(), table.size(), table) == 0) {
      verdict.fail("unexpected: topic " + topic + " carries changes of " + table +
                   ", which is not captured");
    }
  }
  return verdict;
}

// Two tables in one publication; `include` decides which the connector captures.
OwnTableSpec two_tables(const std::string& include) {
  OwnTableSpec spec =
      table_with("a text", [include](json& c) { c["table.include.list"] = include; });
  spec.before_connector =
      "CREATE TABLE {t}_other (id integer PRIMARY KEY, a text); GRANT SELECT ON {t}_other TO "
      "{debezium}; "
      "ALTER PUBLICATION {t}_pub ADD TABLE {t}_other";
  spec.after_drop = "DROP TABLE IF EXISTS {t}_other";
  return spec;
}

void write_both(OwnTable& table) {
  table.exec("INSERT INTO {t}_other VALUES (1, 'left out'); UPDATE {t}_other SET a = 'still out'");
  table.insert("a", "'captured'");
}

TEST(Filtering, ATableOutsideTheIncludeListProducesNoEventOnAnyTopic) {
  const auto& pipeline = Pipeline::shared();
  OwnTable table(pipeline, "filter", two_tables("public.{t}"));
  write_both(table);
  const auto events = table.next();  // the fence commits after the other table's changes
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ((*events[0].after)["a"], "captured");
  const Verdict verdict = check_no_topic_for(pipeline, table.qualified() + "_other");
  EXPECT_TRUE(verdict.ok()) << verdict.summary();
}

// Proof: once the other table is included, the same check names its topic.
TEST(Filtering, IncludingTheOtherTableIsReported) {
  const auto& pipeline = Pipeline::shared();
  OwnTable table(pipeline, "filter_proof", two_tables("public.{t},public.{t}_other"));
  write_both(table);
  table.next();
  const Verdict verdict = check_no_topic_for(pipeline, table.qualified() + "_other");
  EXPECT_THAT(verdict.failures,
              Contains(HasSubstr("carries changes of " + table.qualified() + "_other")));
}

}  // namespace
}  // namespace cdc::scenarios
