#pragma once
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "harness/stack/endpoints.hpp"

namespace cdc {

// A connector as debezium/*.json describes it: {"name": …, "config": {…}}. The file is the
// single source of the connector's settings and is registered as written: where Postgres is
// comes from ${env:CDC_PG_*} references that Connect itself resolves (debezium/worker.properties).
struct ConnectorConfig {
  std::string name{};
  nlohmann::json config{};  // string -> string

  std::string setting(const std::string& key, const std::string& fallback) const;
  std::string slot_name() const { return setting("slot.name", "debezium"); }
  std::string topic_prefix() const { return setting("topic.prefix", ""); }
  // Debezium's topic for a captured table: <topic.prefix>.<schema>.<table>
  std::string change_topic(const std::string& schema_table = "public.customers") const {
    return topic_prefix() + "." + schema_table;
  }
};

std::filesystem::path default_connector_file();  // debezium/customer-cdc.json

ConnectorConfig load_connector_config(const std::filesystem::path& file);

// A copy with its own name, replication slot and topic prefix, for a scenario that needs a
// fresh connector beside the shared one. These three settings (and only these) change,
// openly: each connector needs its own slot, and a fresh one its own topics.
ConnectorConfig isolated_copy(const ConnectorConfig& connector, const std::string& suffix);

// The stack's connector, kept in the run directory (the config holds a password reference,
// never the password): the one `up` registered, or with `up --no-connector` the one it would
// have registered. Scenarios and scenario files derive theirs from it either way; `tail` and
// `check` need it registered.
void save_stack_connector(const std::filesystem::path& run_dir, const ConnectorConfig& connector,
                          bool registered);
ConnectorConfig load_stack_connector(const std::filesystem::path& run_dir);
bool stack_connector_registered(const std::filesystem::path& run_dir);
// The stack's connector; says so (naming the fix) when `up --no-connector` registered none.
ConnectorConfig load_registered_connector(const std::filesystem::path& run_dir);

}  // namespace cdc
