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

std::vector<ChangeEvent> truncates(const std::vector<ChangeEvent>& events) {
  std::vector<ChangeEvent> out;
  for (const auto& e : events) {
    if (e.op == Op::Truncate) out.push_back(e);
  }
  return out;
}

// customer-cdc.json sets skipped.operations=none: truncates are emitted.
TEST(Truncate, ArrivesAsOpTWhenTruncatesAreNotSkipped) {
  OwnTable table(Pipeline::shared(), "truncate", table_with("a text"));
  table.insert("a", "'doomed'");
  table.exec("TRUNCATE {t}");
  const auto events = table.next();
  const auto found = truncates(events);
  ASSERT_EQ(found.size(), 1u) << "expected one op=t event";
  EXPECT_EQ(found[0].source.table, table.name());
  EXPECT_FALSE(found[0].before);
  EXPECT_FALSE(found[0].after);
}

// Debezium's own default, skipped.operations=t, drops them.
TEST(Truncate, IsDroppedUnderDebeziumsDefaultSkippedOperations) {
  OwnTable table(Pipeline::shared(), "truncate_skip",
                 table_with("a text", [](json& c) { c["skipped.operations"] = "t"; }));
  const int id = table.insert("a", "'doomed'");
  table.exec("TRUNCATE {t}");
  const auto events = table.next();
  EXPECT_TRUE(truncates(events).empty());
  const Verdict verdict = check_events(
      events,
      {ExpectedEvent{Op::Create, {{"id", id}}, std::nullopt, true, json{{"a", "doomed"}}, {}}});
  EXPECT_TRUE(verdict.ok()) << verdict.summary();
}

}  // namespace
}  // namespace cdc::scenarios
