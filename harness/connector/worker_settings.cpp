#include "harness/connector/worker_settings.hpp"

#include <sstream>

#include "harness/connector/connect_client.hpp"

namespace cdc {

namespace {

// The worker settings that change what the harness can promise.
const char* const kWorkerKeys[] = {"offset.flush.interval.ms", "key.converter", "value.converter",
                                   "exactly.once.source.support",
                                   "connector.client.config.override.policy"};

bool connector_key(const std::string& key) {
  return key == "key.converter" || key == "value.converter" || key == "exactly.once.support" ||
         key.rfind("producer.override.", 0) == 0 || key.rfind("key.converter.", 0) == 0 ||
         key.rfind("value.converter.", 0) == 0;
}

std::string short_class(const std::string& value) {
  const auto dot = value.rfind('.');
  return dot == std::string::npos ? value : value.substr(dot + 1);
}

}  // namespace

std::map<std::string, std::string> worker_settings_from_log(const std::string& log) {
  const auto block = log.rfind("DistributedConfig values:");
  std::map<std::string, std::string> found;
  if (block == std::string::npos) return found;
  std::istringstream lines(log.substr(log.find('\n', block) + 1));
  for (std::string line; std::getline(lines, line) && !line.empty() && line[0] == '\t';) {
    const auto eq = line.find(" = ");
    if (eq == std::string::npos) continue;
    const std::string key = line.substr(1, eq - 1);
    std::string value = line.substr(eq + 3);
    if (value.rfind("class ", 0) == 0) value = value.substr(6);
    for (const char* wanted : kWorkerKeys) {
      if (key == wanted) found[key] = value;
    }
  }
  return found;
}

WorkerSettings read_worker_settings(const StackEndpoints& endpoints,
                                    const ConnectorConfig& connector,
                                    const std::string& worker_log) {
  WorkerSettings s;
  ConnectClient connect(endpoints.connect_url);
  const auto root = nlohmann::json::parse(connect.get("/").body, nullptr, false);
  if (root.is_object()) s.connect_version = root.value("version", "");
  s.worker = worker_settings_from_log(worker_log);
  for (const auto& [key, value] : connector.config.items()) {
    if (connector_key(key))
      s.connector[key] = value.is_string() ? value.get<std::string>() : value.dump();
  }
  s.task_metrics = !endpoints.connect_metrics_urls.empty();
  return s;
}

nlohmann::json to_json(const WorkerSettings& s) {
  return {{"connect_version", s.connect_version},
          {"worker", s.worker},
          {"worker_settings_source",
           s.worker.empty() ? "unknown: Connect's REST API serves no worker config, and this "
                              "stack gives no worker log"
                            : "the worker's log (DistributedConfig values)"},
          {"connector", s.connector},
          {"task_metrics", s.task_metrics},
          {"summary", describe(s)}};
}

std::string describe(const WorkerSettings& s) {
  const auto worker = [&](const std::string& key) {
    const auto it = s.worker.find(key);
    return it == s.worker.end() ? std::string("?") : it->second;
  };
  const auto converter = [&](const std::string& which) {
    const auto own = s.connector.find(which + ".converter");
    return short_class(own != s.connector.end() ? own->second : worker(which + ".converter"));
  };
  std::string overrides;
  for (const auto& [key, value] : s.connector) {
    if (key.rfind("producer.override.", 0) == 0)
      overrides += (overrides.empty() ? "" : " ") + key.substr(18) + "=" + value;
  }
  return "Connect " + (s.connect_version.empty() ? "?" : s.connect_version) +
         ", offset.flush.interval.ms=" + worker("offset.flush.interval.ms") + ", converters " +
         converter("key") + "/" + converter("value") +
         ", exactly.once.source.support=" + worker("exactly.once.source.support") +
         (overrides.empty() ? "" : ", producer overrides " + overrides) +
         (s.worker.empty() ? " (worker settings unknown: no worker log)" : "") +
         (s.task_metrics ? "; scenario files settle on task metrics"
                         : "; scenario files settle on committed offsets");
}

std::string unreadable_converter(const WorkerSettings& s, bool registry_known) {
  for (const std::string which : {"key", "value"}) {
    const std::string key = which + ".converter";
    // The connector's own setting, else the worker's.
    const auto setting = [&](const std::string& name) -> std::string {
      if (const auto own = s.connector.find(name); own != s.connector.end()) return own->second;
      if (const auto worker = s.worker.find(name); worker != s.worker.end()) return worker->second;
      return "";
    };
    const std::string converter = setting(key);
    if (converter.empty() || converter == "org.apache.kafka.connect.json.JsonConverter") continue;
    const bool apicurio = converter == "io.apicurio.registry.utils.converter.AvroConverter";
    const bool confluent = converter == "io.confluent.connect.avro.AvroConverter";
    if (!apicurio && !confluent) {
      return "the connector's " + which + "s are written by " + converter +
             ", which the observer cannot decode (it reads JsonConverter output, and Avro in "
             "the Confluent wire format): every check would fail on decoding; use JsonConverter "
             "or an AvroConverter (--converter avro)";
    }
    if (!registry_known) {
      return "the connector's " + which + "s are Avro (" + converter +
             "), but the stack's endpoints name no schema registry to read their schemas from: "
             "set CDC_EXTERNAL_SCHEMA_REGISTRY_URL";
    }
    // Apicurio's defaults put the schema id in headers and its own id in the record; the
    // observer reads the Confluent wire format (a 0 byte, then the id the registry's
    // Confluent-compatible API serves).
    if (apicurio && (setting(key + ".apicurio.registry.as-confluent") != "true" ||
                     setting(key + ".apicurio.registry.headers.enabled") != "false" ||
                     setting(key + ".apicurio.registry.use-id") != "contentId")) {
      return "the connector's " + which +
             "s are written by Apicurio's AvroConverter in its own format, which the observer "
             "cannot read: set " +
             key + ".apicurio.registry.as-confluent=true, " + key +
             ".apicurio.registry.headers.enabled=false and " + key +
             ".apicurio.registry.use-id=contentId (the Confluent wire format)";
    }
  }
  return "";
}

std::string offset_flush_disagreement(const WorkerSettings& s, long intended_ms) {
  const auto it = s.worker.find("offset.flush.interval.ms");
  if (intended_ms <= 0 || it == s.worker.end()) return "";
  if (std::atol(it->second.c_str()) == intended_ms) return "";
  return "the stack's config means offset.flush.interval.ms=" + std::to_string(intended_ms) +
         ", but the worker runs with " + it->second +
         " (its log): for the debezium/connect image set OFFSET_FLUSH_INTERVAL_MS, which its "
         "entrypoint turns into CONNECT_OFFSET_FLUSH_INTERVAL_MS";
}

}  // namespace cdc
