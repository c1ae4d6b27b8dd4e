// Schema evolution while streaming: events follow each ALTER, nothing is lost across it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "scenarios/e2e/own_table.hpp"

namespace cdc::scenarios {
namespace {
using nlohmann::json;

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
  std::vector<ExpectedChange> expected;
  for (size_t i = 0; i < ids.size(); ++i) {
    expected.push_back(expect::create({{"id", ids[i]}}).with_after(rows[i]));
  }
  expected.push_back(expect::update({{"id", ids[0]}}).with_after(first_now));
  const Verdict verdict = check_events(events, expected, table.rules());
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

}  // namespace
}  // namespace cdc::scenarios
