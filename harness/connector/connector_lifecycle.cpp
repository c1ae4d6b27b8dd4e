#include "harness/connector/connector_lifecycle.hpp"

#include <nlohmann/json.hpp>

#include "harness/common/errors.hpp"
#include "harness/common/timeouts.hpp"
#include "harness/common/wait.hpp"
#include "harness/connector/connect_client.hpp"
#include "harness/connector/replication_slot.hpp"

namespace cdc {
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

void put_config(ConnectClient& connect, const ConnectorConfig& connector) {
  const std::string path = "/connectors/" + connector.name + "/config";
  wait_for("Kafka Connect to accept connector " + connector.name, scaled(60s), [&] {
    const auto response = connect.put_json(path, connector.config.dump());
    if (response.status == 200 || response.status == 201) return Probe<bool>::ready(true);
    // 409: the worker is rebalancing or has not joined its group yet; it will.
    if (response.status == 409)
      return Probe<bool>::not_yet("HTTP 409: " + connect_error_message(response));
    throw HarnessError("Kafka Connect rejected connector " + connector.name + " (HTTP " +
                       std::to_string(response.status) + "): " + connect_error_message(response));
  });
}

json tasks_of(const json& status) {
  if (status.contains("tasks") && status["tasks"].is_array()) return status["tasks"];
  return json::array();
}

std::string describe_status(const json& status) {
  std::string text = "connector " + status["connector"].value("state", "?");
  const json tasks = tasks_of(status);
  for (const auto& task : tasks) {
    text += ", task " + std::to_string(task.value("id", 0)) + " " + task.value("state", "?");
  }
  return text;
}

}  // namespace

void start_connector(const StackEndpoints& endpoints, const ConnectorConfig& connector,
                     const Progress& progress) {
  register_connector(endpoints, connector);
  progress.stage("connector", connector.name + " registered; waiting until it streams");
  wait_until_streaming(endpoints, connector);
}

void register_connector(const StackEndpoints& endpoints, const ConnectorConfig& connector) {
  ConnectClient connect(endpoints.connect_url);
  put_config(connect, connector);
}

void wait_until_streaming(const StackEndpoints& endpoints, const ConnectorConfig& connector) {
  ConnectClient connect(endpoints.connect_url);
  wait_for(
      "connector " + connector.name + " to be RUNNING and streaming from slot '" +
          connector.slot_name() + "'",
      scaled(90s), [&] {
        const auto response = connect.get("/connectors/" + connector.name + "/status");
        if (response.status != 200) {
          return Probe<bool>::not_yet("status HTTP " + std::to_string(response.status) + ": " +
                                      connect_error_message(response));
        }
        const json status = json::parse(response.body);
        const auto& state = status["connector"];
        if (state.value("state", "") == "FAILED") {
          throw HarnessError("connector " + connector.name +
                             " FAILED: " + state.value("trace", "(no trace)"));
        }
        const json tasks = tasks_of(status);
        for (const auto& task : tasks) {
          if (task.value("state", "") == "FAILED") {
            throw HarnessError("connector " + connector.name + " task " +
                               std::to_string(task.value("id", 0)) +
                               " FAILED: " + task.value("trace", "(no trace)"));
          }
        }
        const bool running = state.value("state", "") == "RUNNING" && !tasks.empty() &&
                             std::all_of(tasks.begin(), tasks.end(), [](const json& t) {
                               return t.value("state", "") == "RUNNING";
                             });
        if (!running) return Probe<bool>::not_yet(describe_status(status));
        // RUNNING is not streaming: Debezium holds the slot only once the snapshot is
        // done and it has asked Postgres to stream.
        const auto slot = replication_slot(endpoints.admin, connector.slot_name());
        if (!slot) return Probe<bool>::not_yet(describe_status(status) + "; slot not created yet");
        if (!slot->active)
          return Probe<bool>::not_yet(describe_status(status) + "; slot exists, not active yet");
        return Probe<bool>::ready(true);
      });
}

void apply_to_connector(const StackEndpoints& endpoints, const std::string& name,
                        ConnectorAction action) {
  ConnectClient connect(endpoints.connect_url);
  const std::string base = "/connectors/" + name;
  const auto [what, response] = [&]() -> std::pair<std::string, HttpResponse> {
    switch (action) {
      case ConnectorAction::Restart:
        return {"restart", connect.post(base + "/restart?includeTasks=true")};
      case ConnectorAction::Pause:
        return {"pause", connect.put_json(base + "/pause", "")};
      case ConnectorAction::Resume:
        return {"resume", connect.put_json(base + "/resume", "")};
      case ConnectorAction::Stop:
        return {"stop", connect.put_json(base + "/stop", "")};
    }
    throw HarnessError("unknown connector action");
  }();
  if (response.status < 200 || response.status >= 300) {
    throw HarnessError("Kafka Connect refused to " + what + " connector " + name + " (HTTP " +
                       std::to_string(response.status) + "): " + connect_error_message(response));
  }
}

void wait_for_connector_state(const StackEndpoints& endpoints, const std::string& name,
                              const std::string& state) {
  ConnectClient connect(endpoints.connect_url);
  wait_for("connector " + name + " to be " + state, scaled(60s), [&] {
    const auto response = connect.get("/connectors/" + name + "/status");
    if (response.status != 200)
      return Probe<bool>::not_yet("status HTTP " + std::to_string(response.status));
    const json status = json::parse(response.body);
    const json tasks = tasks_of(status);
    for (const auto& task : tasks) {
      if (task.value("state", "") == "FAILED") {
        throw HarnessError("connector " + name +
                           " task FAILED: " + task.value("trace", "(no trace)"));
      }
    }
    // A stopped connector has no tasks; otherwise every task must have arrived too.
    const bool there =
        status["connector"].value("state", "") == state &&
        (state == "STOPPED" ||
         (!tasks.empty() && std::all_of(tasks.begin(), tasks.end(), [&](const json& t) {
           return t.value("state", "") == state;
         })));
    return there ? Probe<bool>::ready(true) : Probe<bool>::not_yet(describe_status(status));
  });
}

void wait_until_snapshot_committed(const StackEndpoints& endpoints, const std::string& name) {
  ConnectClient connect(endpoints.connect_url);
  wait_for("connector " + name + " to commit an offset past its initial snapshot", scaled(60s),
           [&] {
             const auto response = connect.get("/connectors/" + name + "/offsets");
             if (response.status != 200)
               return Probe<bool>::not_yet("offsets HTTP " + std::to_string(response.status));
             const json offsets = json::parse(response.body).value("offsets", json::array());
             for (const auto& entry : offsets) {
               const json offset = entry.value("offset", json::object());
               if (!offset.contains("snapshot") || offset.value("snapshot_completed", false))
                 return Probe<bool>::ready(true);
             }
             return Probe<bool>::not_yet(response.body.substr(0, 300));
           });
}

namespace {

// Stops the connector and resets its source offsets (Connect 3.6+), so that nothing of it
// stays in the worker's offsets topic, which on a shared cluster is not ours to clutter. A
// connector that is gone, or a worker without the API, has nothing to forget here.
void forget_offsets(ConnectClient& connect, const std::string& name) {
  const std::string base = "/connectors/" + name;
  const auto stop = connect.put_json(base + "/stop", "");
  if (stop.status == 404 || stop.status == 405) return;
  if (stop.status < 200 || stop.status >= 300) {
    throw HarnessError("Kafka Connect refused to stop connector " + name + " (HTTP " +
                       std::to_string(stop.status) + "): " + connect_error_message(stop));
  }
  wait_for("connector " + name + " to stop before its offsets are reset", scaled(30s), [&] {
    const auto response = connect.get(base + "/status");
    if (response.status == 404) return Probe<bool>::ready(true);
    const json status = json::parse(response.body, nullptr, false);
    const std::string state = status.is_object() ? status["connector"].value("state", "?")
                                                 : "HTTP " + std::to_string(response.status);
    if (state == "STOPPED") return Probe<bool>::ready(true);
    return Probe<bool>::not_yet("connector " + state);
  });
  wait_for("Kafka Connect to reset the offsets of " + name, scaled(30s), [&] {
    const auto response = connect.del(base + "/offsets");
    if (response.status == 200 || response.status == 404) return Probe<bool>::ready(true);
    // 400: the stop has not reached every worker yet; 409: a rebalance.
    if (response.status == 400 || response.status == 409)
      return Probe<bool>::not_yet("HTTP " + std::to_string(response.status) + ": " +
                                  connect_error_message(response));
    throw HarnessError("Kafka Connect refused to reset the offsets of " + name + " (HTTP " +
                       std::to_string(response.status) + "): " + connect_error_message(response));
  });
}

}  // namespace

void remove_connector(const StackEndpoints& endpoints, const std::string& name,
                      const std::string& slot) {
  ConnectClient connect(endpoints.connect_url);
  forget_offsets(connect, name);
  wait_for("Kafka Connect to delete connector " + name, scaled(60s), [&] {
    const auto response = connect.del("/connectors/" + name);
    if (response.status == 204 || response.status == 200 || response.status == 404)
      return Probe<bool>::ready(true);
    if (response.status == 409)
      return Probe<bool>::not_yet("HTTP 409: " + connect_error_message(response));
    throw HarnessError("Kafka Connect refused to delete connector " + name + " (HTTP " +
                       std::to_string(response.status) + "): " + connect_error_message(response));
  });
  wait_for("connector " + name + " to be gone from Kafka Connect", scaled(30s), [&] {
    const auto response = connect.get("/connectors/" + name + "/status");
    if (response.status == 404) return Probe<bool>::ready(true);
    return Probe<bool>::not_yet("status HTTP " + std::to_string(response.status));
  });
  drop_replication_slot(endpoints.admin, slot);
}

std::vector<std::string> list_connectors(const StackEndpoints& endpoints) {
  ConnectClient connect(endpoints.connect_url);
  const auto listed = connect.get("/connectors");
  if (listed.status != 200) {
    throw HarnessError("Kafka Connect could not list connectors (HTTP " +
                       std::to_string(listed.status) + "): " + connect_error_message(listed));
  }
  return json::parse(listed.body).get<std::vector<std::string>>();
}

void remove_connectors(const StackEndpoints& endpoints,
                       const std::function<bool(const std::string&)>& matches,
                       const Progress& progress) {
  ConnectClient connect(endpoints.connect_url);
  for (const auto& name : list_connectors(endpoints)) {
    if (!matches(name)) continue;
    const auto config = connect.get("/connectors/" + name + "/config");
    const json settings = config.status == 200 ? json::parse(config.body) : json::object();
    const std::string slot = settings.value("slot.name", "debezium");
    progress.stage("connector", "deleting " + name + " and its slot " + slot);
    remove_connector(endpoints, name, matches(slot) ? slot : "");
  }
}

void remove_all_connectors(const StackEndpoints& endpoints, const Progress& progress) {
  remove_connectors(
      endpoints, [](const std::string&) { return true; }, progress);
  // Slots whose connector is gone pin WAL forever: drop them too, and say so. (This is the
  // harness's own Postgres; on a shared one, remove_connectors with a run's names instead.)
  for (const auto& slot : replication_slots(endpoints.admin)) {
    progress.stage("connector", "dropping replication slot " + slot + " that no connector owns");
    drop_replication_slot(endpoints.admin, slot);
  }
  progress.stage("connector", "no connectors and no replication slots left");
}

}  // namespace cdc
