// Transaction metadata: BEGIN/END frame each transaction, with contiguous orders.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "harness/checkers/transaction_metadata.hpp"
#include "harness/common/timeouts.hpp"
#include "harness/common/wait.hpp"
#include "harness/observer/envelope_decoder.hpp"
#include "harness/observer/topic_reader.hpp"
#include "scenarios/anomaly_printing.hpp"
#include "scenarios/e2e/own_table.hpp"

namespace cdc::scenarios {
namespace {
using nlohmann::json;
using namespace std::chrono_literals;
using ::testing::Contains;
using ::testing::Each;
using ::testing::Field;
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
  EXPECT_THAT(verdict.kinds(), Each(AnomalyKind::Metadata)) << verdict.summary();
  EXPECT_THAT(verdict.anomalies, Contains(Field(&Anomaly::evidence, HasSubstr("no BEGIN marker"))));
  EXPECT_THAT(verdict.anomalies,
              Contains(Field(&Anomaly::evidence, HasSubstr("has no transaction metadata"))));
}

}  // namespace
}  // namespace cdc::scenarios
