#include "harness/connector/connector_config.hpp"

#include "harness/common/errors.hpp"
#include "harness/common/files.hpp"
#include "harness/common/run_dir.hpp"

namespace cdc {
namespace fs = std::filesystem;
using nlohmann::json;

std::string ConnectorConfig::setting(const std::string& key, const std::string& fallback) const {
  if (config.contains(key) && config[key].is_string()) return config[key].get<std::string>();
  return fallback;
}

fs::path default_connector_file() {
  return fs::path(CDC_SOURCE_DIR) / "debezium" / "customer-cdc.json";
}

ConnectorConfig load_connector_config(const fs::path& file) {
  if (!fs::exists(file))
    throw HarnessError("connector config " + file.string() + " does not exist");
  const json doc = json::parse(read_file(file), nullptr, false);
  if (doc.is_discarded()) {
    throw HarnessError("connector config " + file.string() +
                       " is not valid JSON: check it with `jq . " + file.string() + "`");
  }
  if (!doc.is_object() || !doc.contains("name") || !doc["name"].is_string() ||
      !doc.contains("config") || !doc["config"].is_object()) {
    throw HarnessError(
        "connector config " + file.string() +
        " must be {\"name\": \"…\", \"config\": {…}} as for Connect's POST /connectors");
  }
  ConnectorConfig connector{doc["name"], doc["config"]};
  for (auto& [key, value] : connector.config.items()) {
    if (value.is_number() || value.is_boolean()) value = value.dump();  // Connect wants strings
    if (!value.is_string()) {
      throw HarnessError("connector config " + file.string() + ": setting '" + key +
                         "' must be a string");
    }
  }
  return connector;
}

ConnectorConfig isolated_copy(const ConnectorConfig& connector, const std::string& suffix) {
  ConnectorConfig copy = connector;
  copy.name = connector.name + "-" + suffix;
  std::string slot_suffix = suffix;
  for (char& c : slot_suffix)
    c = std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(c)) : '_';
  copy.config["slot.name"] = connector.slot_name() + "_" + slot_suffix;
  copy.config["topic.prefix"] = connector.topic_prefix() + "_" + slot_suffix;
  return copy;
}

void save_stack_connector(const fs::path& run_dir, const ConnectorConfig& connector,
                          bool registered) {
  json doc{{"name", connector.name}, {"config", connector.config}};
  if (!registered) doc["registered"] = false;
  write_file(RunDir(run_dir).connector(), doc.dump(2) + "\n");
}

ConnectorConfig load_stack_connector(const fs::path& run_dir) {
  if (!fs::exists(RunDir(run_dir).connector())) {
    throw HarnessError("no connector recorded in " + run_dir.string() +
                       ": start the pipeline with `cdc-harness up`");
  }
  return load_connector_config(RunDir(run_dir).connector());
}

bool stack_connector_registered(const fs::path& run_dir) {
  const json doc = json::parse(read_file(RunDir(run_dir).connector()), nullptr, false);
  return !doc.is_object() || doc.value("registered", true);
}

ConnectorConfig load_registered_connector(const fs::path& run_dir) {
  ConnectorConfig connector = load_stack_connector(run_dir);
  if (!stack_connector_registered(run_dir)) {
    throw HarnessError("the stack in " + run_dir.string() +
                       " was brought up with --no-connector, so no connector streams there: "
                       "`cdc-harness down` it and `up` it without --no-connector");
  }
  return connector;
}

}  // namespace cdc
