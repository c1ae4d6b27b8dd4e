#include "harness/connector/connector_config.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "harness/common/errors.hpp"

namespace cdc::unit {
namespace {
using ::testing::HasSubstr;

StackEndpoints endpoints() {
  StackEndpoints e;
  e.debezium = {"127.0.0.1", 6543, "cdctest", "debezium", "s3cret"};
  e.debezium_password_ref = "${file:/run/secrets/credentials.properties:debezium.password}";
  return e;
}

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

TEST(ConnectorConfig, PlaceholdersGetTheEndpointsAndAPasswordReferenceNeverThePassword) {
  const auto connector =
      resolve_placeholders(load_connector_config(default_connector_file()), endpoints());
  EXPECT_EQ(connector.setting("database.hostname", ""), "127.0.0.1");
  EXPECT_EQ(connector.setting("database.port", ""), "6543");
  EXPECT_EQ(connector.setting("database.user", ""), "debezium");
  EXPECT_EQ(connector.setting("database.password", ""), endpoints().debezium_password_ref);
  EXPECT_THAT(connector.config.dump(), ::testing::Not(HasSubstr("s3cret")));
}

TEST(ConnectorConfig, SettingsWithoutPlaceholdersAreLeftAsWritten) {
  const auto path = write_temp(
      "cdc-literal.json",
      R"({"name":"x","config":{"database.hostname":"db.internal","poll.interval.ms":250}})");
  const auto connector = resolve_placeholders(load_connector_config(path), endpoints());
  EXPECT_EQ(connector.setting("database.hostname", ""), "db.internal");
  EXPECT_EQ(connector.setting("poll.interval.ms", ""), "250");  // numbers become Connect's strings
}

TEST(ConnectorConfig, AnUnknownPlaceholderIsNamed) {
  const auto path =
      write_temp("cdc-unknown.json", R"({"name":"x","config":{"a":"${harness:postgres.hots}"}})");
  try {
    resolve_placeholders(load_connector_config(path), endpoints());
    FAIL() << "resolved an unknown placeholder";
  } catch (const HarnessError& e) {
    EXPECT_THAT(e.what(), HasSubstr("${harness:postgres.hots}"));
  }
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
