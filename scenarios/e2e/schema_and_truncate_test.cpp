// Schema evolution while streaming, and TRUNCATE.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "harness/checkers/event_expectations.hpp"
#include "scenarios/e2e/own_table.hpp"

namespace cdc::scenarios {
namespace {
using nlohmann::json;
using ::testing::Contains;
using ::testing::HasSubstr;

std::set<std::string> columns_of(const json& row) {
  std::set<std::string> names;
  for (const auto& [name, value] : row.items()) names.insert(name);
  return names;
}

TEST(SchemaEvolution, EventsFollowEachAlterAndNothingIsLostAcrossIt) {
  OwnTable table(Pipeline::shared(), "schema", table_with("a text"));
  std::vector<int> ids;
  std::vector<json> rows;
  auto insert = [&](const std::string& columns, const std::string& values) {
    ids.push_back(table.insert(columns, values));
    rows.push_back(table.row(ids.back()));
  };
  insert("a", "'before any change'");
  table.exec("ALTER TABLE {t} ADD COLUMN b text");
  insert("a, b", "'added b', 'bee'");
  table.exec("ALTER TABLE {t} ADD COLUMN c integer DEFAULT 7");
  insert("a", "'added c with a default'");
  table.exec("ALTER TABLE {t} DROP COLUMN b");
  insert("a", "'dropped b'");
  table.exec("ALTER TABLE {t} ALTER COLUMN c TYPE bigint");
  insert("a, c", "'c is bigint now', 9000000000");
  table.exec("UPDATE {t} SET a = 'touched after every change' WHERE id = " +
             std::to_string(ids[0]));
  const json first_now = table.row(ids[0]);

  const auto events = table.next();
  std::vector<ExpectedEvent> expected;
  for (size_t i = 0; i < ids.size(); ++i) {
    expected.push_back({Op::Create, {{"id", ids[i]}}, std::nullopt, true, rows[i], {}});
  }
  expected.push_back({Op::Update, {{"id", ids[0]}}, std::nullopt, true, first_now, {}});
  const Verdict verdict = check_events(events, expected);
  EXPECT_TRUE(verdict.ok()) << verdict.summary();

  // Each event has exactly the table's shape at its commit: no dropped column lingers.
  const std::vector<std::set<std::string>> shapes = {{"id", "a"},           {"id", "a", "b"},
                                                     {"id", "a", "b", "c"}, {"id", "a", "c"},
                                                     {"id", "a", "c"},      {"id", "a", "c"}};
  ASSERT_EQ(events.size(), shapes.size());
  for (size_t i = 0; i < events.size(); ++i) {
    ASSERT_TRUE(events[i].after) << brief(events[i]);
    EXPECT_EQ(columns_of(*events[i].after), shapes[i])
        << "event " << i << ": " << events[i].after->dump();
  }
  EXPECT_EQ((*events[5].after)["c"], 7) << "the default fills rows that existed before ADD COLUMN";
}

// Exactly one op=t event for `table` among `events`.
Verdict check_truncated(const std::vector<ChangeEvent>& events, const std::string& table) {
  int found = 0;
  Verdict verdict;
  for (const auto& e : events) {
    if (e.op != Op::Truncate) continue;
    ++found;
    if (e.source.table != table)
      verdict.fail("op=t event for table " + e.source.table + ", expected " + table);
    if (e.before || e.after) verdict.fail("op=t event carries a row image: " + brief(e));
  }
  if (found == 0) verdict.fail("missing: no op=t event for " + table);
  if (found > 1) verdict.fail("duplicate: " + std::to_string(found) + " op=t events for " + table);
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
  EXPECT_THAT(verdict.failures, Contains(HasSubstr("missing: no op=t event for " + table.name())));
}

}  // namespace
}  // namespace cdc::scenarios
