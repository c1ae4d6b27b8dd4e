#pragma once
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "harness/connector/connector_config.hpp"
#include "harness/stack/endpoints.hpp"

namespace cdc {

// What a Connect worker and a connector run with that changes what the harness can promise:
// how often offsets are committed (how far a crash replays, how a scenario file settles
// without task metrics), the converters (what the observer must decode), exactly-once
// source support, and the connector's producer overrides.
struct WorkerSettings {
  std::string connect_version{};  // GET /
  // From the settings Kafka logs when a worker starts ("DistributedConfig values:"):
  // Connect's REST API serves no worker config. Empty where the stack gives no log.
  std::map<std::string, std::string> worker{};
  // The connector's own: converters, exactly.once.support, producer.override.*.
  std::map<std::string, std::string> connector{};
  bool task_metrics = false;  // the stack offers the workers' metrics (settling uses them)
};

// The last "DistributedConfig values:" block of a worker's log, the settings that matter.
std::map<std::string, std::string> worker_settings_from_log(const std::string& log);

WorkerSettings read_worker_settings(const StackEndpoints& endpoints,
                                    const ConnectorConfig& connector,
                                    const std::string& worker_log);

nlohmann::json to_json(const WorkerSettings& settings);
// One line for people: "offset.flush.interval.ms=60000 (the worker's log), …".
std::string describe(const WorkerSettings& settings);

// A warning when the connector's records are written by a converter the observer cannot read
// (it decodes JsonConverter output, with or without schemas, and Avro in the Confluent wire
// format when the stack names a schema registry); "" when it can or it is unknown.
std::string unreadable_converter(const WorkerSettings& settings, bool registry_known);

// A warning when the worker runs with another offset flush interval than the stack's
// config means it to (`intended_ms`; 0: no intention); "" when they agree or it is unknown.
std::string offset_flush_disagreement(const WorkerSettings& settings, long intended_ms);

}  // namespace cdc
