// Filtering: a table outside table.include.list produces no event on any topic.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/common/timeouts.hpp"
#include "harness/stack/kafka_admin.hpp"
#include "scenarios/anomaly_printing.hpp"
#include "scenarios/e2e/own_table.hpp"

namespace cdc::scenarios {
namespace {
using nlohmann::json;
using namespace std::chrono_literals;
using ::testing::ElementsAre;

// No topic of the cluster carries `table`'s changes.
Verdict check_no_topic_for(const Pipeline& pipeline, const std::string& table) {
  Verdict verdict;
  for (const auto& topic : kafka_topics(pipeline.endpoints.kafka_bootstrap, scaled(10s))) {
    if (topic.size() >= table.size() &&
        topic.compare(topic.size() - table.size(), table.size(), table) == 0) {
      verdict.add(AnomalyKind::Phantom, nullptr, std::nullopt, std::nullopt,
                  "topic " + topic + " carries changes of " + table + ", which is not captured");
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
  EXPECT_THAT(verdict.kinds(), ElementsAre(AnomalyKind::Phantom)) << verdict.summary();
}

}  // namespace
}  // namespace cdc::scenarios
