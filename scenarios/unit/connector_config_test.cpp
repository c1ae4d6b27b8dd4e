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

// `up --no-connector` records the connector runs derive theirs from, but `tail` and `check`,
// which need it streaming, say that none was registered and how to get one.
TEST(ConnectorConfig, AStackUpWithoutAConnectorKeepsItsConfigButSaysNoneIsRegistered) {
  const auto run_dir = std::filesystem::temp_directory_path() / "cdc-unit-stack-connector";
  std::filesystem::remove_all(run_dir);
  std::filesystem::create_directories(run_dir);
  const auto connector = load_connector_config(default_connector_file());

  save_stack_connector(run_dir, connector, true);
  EXPECT_TRUE(stack_connector_registered(run_dir));
  EXPECT_EQ(load_registered_connector(run_dir).config, connector.config);

  save_stack_connector(run_dir, connector, false);
  EXPECT_FALSE(stack_connector_registered(run_dir));
  EXPECT_EQ(load_stack_connector(run_dir).name, connector.name);
  EXPECT_EQ(load_stack_connector(run_dir).config, connector.config);
  try {
    load_registered_connector(run_dir);
    FAIL() << "a stack without a registered connector was read as having one";
  } catch (const HarnessError& e) {
    EXPECT_THAT(e.what(), HasSubstr("was brought up with --no-connector"));
    EXPECT_THAT(e.what(), HasSubstr("without --no-connector"));
  }
  std::filesystem::remove_all(run_dir);
}

}  // namespace
}  // namespace cdc::unit
