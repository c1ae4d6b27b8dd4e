// TRUNCATE: op=t when truncates are not skipped, nothing under Debezium's default.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "scenarios/anomaly_printing.hpp"
#include "scenarios/e2e/own_table.hpp"

namespace cdc::scenarios {
namespace {
using nlohmann::json;
using ::testing::ElementsAre;

// Exactly one op=t event for `table` among `events`.
Verdict check_truncated(const std::vector<ChangeEvent>& events, const std::string& table) {
  int found = 0;
  Verdict verdict;
  for (const auto& e : events) {
    if (e.op != Op::Truncate) continue;
    if (++found > 1) verdict.add(AnomalyKind::Duplicate, nullptr, e.op, e.source.tx_id, brief(e));
    if (e.source.table != table)
      verdict.add(AnomalyKind::Image, nullptr, e.op, e.source.tx_id,
                  "op=t event for table " + e.source.table + ", expected " + table);
    if (e.before || e.after)
      verdict.add(AnomalyKind::Image, nullptr, e.op, e.source.tx_id,
                  "op=t event carries a row image: " + brief(e));
  }
  if (found == 0)
    verdict.add(AnomalyKind::Lost, nullptr, Op::Truncate, std::nullopt,
                "no op=t event for " + table);
  return verdict;
}

void insert_then_truncate(OwnTable& table) {
  table.insert("a", "'doomed'");
  table.exec("TRUNCATE {t}");
}

// customer-cdc.json sets skipped.operations=none: truncates are emitted.
TEST(Truncate, ArrivesAsOpTWhenTruncatesAreNotSkipped) {
  OwnTable table(Pipeline::shared(), "truncate", table_with("a text"));
  insert_then_truncate(table);
  const Verdict verdict = check_truncated(table.next(), table.name());
  EXPECT_TRUE(verdict.ok()) << verdict.summary();
}

void skip_truncates(json& c) {
  c["skipped.operations"] = "t";
}

// Debezium's own default, skipped.operations=t, drops them; the insert still arrives.
TEST(Truncate, IsDroppedUnderDebeziumsDefaultSkippedOperations) {
  OwnTable table(Pipeline::shared(), "truncate_skip", table_with("a text", skip_truncates));
  insert_then_truncate(table);
  const auto events = table.next();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].op, Op::Create);
}

// Proof: expecting a truncate from a connector that skips them is reported as missing.
TEST(Truncate, ExpectingATruncateFromASkippingConnectorFails) {
  OwnTable table(Pipeline::shared(), "truncate_proof", table_with("a text", skip_truncates));
  insert_then_truncate(table);
  const Verdict verdict = check_truncated(table.next(), table.name());
  EXPECT_THAT(verdict.kinds(), ElementsAre(AnomalyKind::Lost)) << verdict.summary();
}

}  // namespace
}  // namespace cdc::scenarios
