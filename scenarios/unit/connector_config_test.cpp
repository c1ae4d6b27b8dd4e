#include "harness/connector/connector_config.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "harness/common/errors.hpp"

namespace cdc::unit {
namespace {
using ::testing::HasSubstr;

std::filesystem::path write_temp(const std::string& name, const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() / name;
  std::ofstream(path) << text;
  return path;
}

TEST(ConnectorConfig, TheShippedConfigIsTheSeedsShapeWithPgoutput) {
  const auto connector = load_connector_config(default_connector_file());
  EXPECT_EQ(connector.name, "customer-cdc");
  EXPECT_EQ(connector.setting("connector.class", ""),
            "io.debezium.connector.postgresql.PostgresConnector");
  EXPECT_EQ(connector.setting("plugin.name", ""), "pgoutput");
  EXPECT_EQ(connector.setting("table.include.list", ""), "public.customers");
  EXPECT_EQ(connector.change_topic(), "cdctest.public.customers");
}

TEST(ConnectorConfig, WhereThePostgresIsComesFromConnectsEnvironmentNeverAPassword) {
  const auto connector = load_connector_config(default_connector_file());
  EXPECT_EQ(connector.setting("database.hostname", ""), "${env:CDC_PG_HOST}");
  EXPECT_EQ(connector.setting("database.port", ""), "${env:CDC_PG_PORT}");
  EXPECT_EQ(connector.setting("database.dbname", ""), "${env:CDC_PG_DBNAME}");
  EXPECT_EQ(connector.setting("database.user", ""), "${env:CDC_PG_USER}");
  EXPECT_EQ(connector.setting("database.password", ""), "${env:CDC_PG_PASSWORD}");
}

TEST(ConnectorConfig, NumbersBecomeTheStringsConnectWants) {
  const auto path = write_temp(
      "cdc-literal.json",
      R"({"name":"x","config":{"database.hostname":"db.internal","poll.interval.ms":250}})");
  const auto connector = load_connector_config(path);
  EXPECT_EQ(connector.setting("database.hostname", ""), "db.internal");
  EXPECT_EQ(connector.setting("poll.interval.ms", ""), "250");
}

TEST(ConnectorConfig, BadFilesGetOneLineThatNamesTheProblem) {
  EXPECT_THROW(load_connector_config("/nonexistent/connector.json"), HarnessError);
  try {
    load_connector_config(write_temp("cdc-bad.json", "{ not json"));
    FAIL();
  } catch (const HarnessError& e) {
    EXPECT_THAT(e.what(), HasSubstr("is not valid JSON"));
  }
  try {
    load_connector_config(write_temp("cdc-shape.json", R"({"connector.class":"x"})"));
    FAIL();
  } catch (const HarnessError& e) {
    EXPECT_THAT(e.what(), HasSubstr(R"(must be {"name": "…", "config": {…}})"));
  }
}

TEST(ConnectorConfig, AnIsolatedCopyChangesOnlyNameSlotAndTopicPrefix) {
  const auto original = load_connector_config(default_connector_file());
  const auto copy = isolated_copy(original, "Snap-1");
  EXPECT_EQ(copy.name, "customer-cdc-Snap-1");
  EXPECT_EQ(copy.slot_name(), "debezium_snap_1");
  EXPECT_EQ(copy.topic_prefix(), "cdctest_snap_1");
  auto rest = copy.config;
  auto original_rest = original.config;
  for (const char* key : {"slot.name", "topic.prefix"}) {
    rest.erase(key);
    original_rest.erase(key);
  }
  EXPECT_EQ(rest, original_rest);
}

}  // namespace
}  // namespace cdc::unit
