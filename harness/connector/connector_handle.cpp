#include "harness/connector/connector_handle.hpp"

#include <algorithm>

#include "harness/common/enum_names.hpp"
#include "harness/common/errors.hpp"
#include "harness/common/timeouts.hpp"
#include "harness/common/wait.hpp"

namespace cdc {
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

// Each state with the name Connect's status API gives it.
const EnumName<ConnectorState> kStates[] = {
    {ConnectorState::Unassigned, "UNASSIGNED"}, {ConnectorState::Running, "RUNNING"},
    {ConnectorState::Paused, "PAUSED"},         {ConnectorState::Stopped, "STOPPED"},
    {ConnectorState::Failed, "FAILED"},         {ConnectorState::Restarting, "RESTARTING"},
    {ConnectorState::Absent, "ABSENT"}};

ConnectorState state_of(const std::string& text) {
  return value_named(kStates, text).value_or(ConnectorState::Unassigned);
}

bool succeeded(const HttpResponse& r) {
  return r.status >= 200 && r.status < 300;
}

}  // namespace

std::string to_string(ConnectorState state) {
  return name_in(kStates, state);
}

bool ConnectorStatus::settled_in(ConnectorState want) const {
  if (state != want) return false;
  if (want == ConnectorState::Stopped) return true;
  return !tasks.empty() && std::all_of(tasks.begin(), tasks.end(),
                                       [&](const TaskStatus& t) { return t.state == want; });
}

std::string ConnectorStatus::describe() const {
  std::string text = "connector " + to_string(state);
  for (const auto& t : tasks) text += ", task " + std::to_string(t.id) + " " + to_string(t.state);
  return note.empty() ? text : text + " (" + note + ")";
}

ConnectorHandle::ConnectorHandle(const std::string& connect_url, std::string name)
    : name_(std::move(name)), connect_(std::make_unique<ConnectClient>(connect_url)) {}

std::string ConnectorHandle::path(std::string_view tail) const {
  return "/connectors/" + name_ + std::string(tail);
}

ConnectorStatus ConnectorHandle::status() {
  const auto response = connect_->get(path("/status"));
  ConnectorStatus status;
  if (response.status == 404) return status;
  const json body = json::parse(response.body, nullptr, false);
  if (response.status != 200 || !body.is_object()) {
    status.state = ConnectorState::Unassigned;  // a rebalance, most likely: ask again
    status.note =
        "status HTTP " + std::to_string(response.status) + ": " + connect_error_message(response);
    return status;
  }
  const json& connector = body.value("connector", json::object());
  status.state = state_of(connector.value("state", ""));
  status.trace = connector.value("trace", "");
  for (const auto& task : body.value("tasks", json::array())) {
    status.tasks.push_back(TaskStatus{task.value("id", 0), state_of(task.value("state", "")),
                                      task.value("trace", ""), task.value("worker_id", "")});
  }
  return status;
}

json ConnectorHandle::config() {
  const auto response = connect_->get(path("/config"));
  return response.status == 200 ? json::parse(response.body, nullptr, false) : json::object();
}

json ConnectorHandle::offsets() {
  const auto response = connect_->get(path("/offsets"));
  if (response.status != 200) {
    throw HarnessError("Kafka Connect could not list the offsets of " + name_ + " (HTTP " +
                       std::to_string(response.status) + "): " + connect_error_message(response));
  }
  return json::parse(response.body);
}

std::vector<std::string> ConnectorHandle::active_topics() {
  const auto response = connect_->get(path("/topics"));
  if (response.status != 200) return {};  // topic.tracking.enable=false: 400
  const json body = json::parse(response.body, nullptr, false);
  std::vector<std::string> topics;
  if (body.is_object() && body.contains(name_) && body[name_].contains("topics"))
    for (const auto& topic : body[name_]["topics"]) topics.push_back(topic.get<std::string>());
  return topics;
}

namespace {

// Kafka Connect 4.3 answers an invalid config with HTTP 500 and a NullPointerException in
// place of the reasons (KAFKA-20693: a config key the plugin's validation returns no value
// for, such as Debezium 3.6's internal.legacy.snapshot.max.threads). Its validation
// endpoint still has them: asked there, the user reads why, as on other versions.
bool reasons_hidden(const HttpResponse& response) {
  return response.status == 500 &&
         connect_error_message(response).find("ConfigValueInfo") != std::string::npos;
}

std::string validation_errors(ConnectClient& connect, const json& config) {
  const std::string plugin = config.value("connector.class", "");
  const auto response =
      connect.put_json("/connector-plugins/" + plugin + "/config/validate", config.dump());
  const json body = json::parse(response.body, nullptr, false);
  if (response.status != 200 || !body.is_object()) return "";
  std::string errors;
  for (const auto& info : body.value("configs", json::array())) {
    const json value = info.value("value", json());
    if (!value.is_object()) continue;  // the entry that trips Connect up
    for (const auto& error : value.value("errors", json::array())) {
      if (!error.is_string()) continue;
      errors += (errors.empty() ? "" : "; ") + value.value("name", std::string("?")) + ": " +
                error.get<std::string>();
    }
  }
  return errors;
}

}  // namespace

void ConnectorHandle::put_config(const json& config) {
  cdc::wait_for("Kafka Connect to accept connector " + name_, scaled(60s), [&] {
    const auto response = connect_->put_json(path("/config"), config.dump());
    if (response.status == 200 || response.status == 201) return Probe<bool>::ready(true);
    // 409: the worker is rebalancing or has not joined its group yet; it will.
    if (response.status == 409)
      return Probe<bool>::not_yet("HTTP 409: " + connect_error_message(response));
    std::string reasons = connect_error_message(response);
    if (reasons_hidden(response)) {
      const std::string errors = validation_errors(*connect_, config);
      if (!errors.empty())
        reasons = errors +
                  " (from its config validation: the answer itself was an error, "
                  "KAFKA-20693)";
    }
    throw HarnessError("Kafka Connect rejected connector " + name_ + " (HTTP " +
                       std::to_string(response.status) + "): " + reasons);
  });
}

void ConnectorHandle::act(const char* verb, HttpResponse response) {
  if (!succeeded(response)) {
    throw HarnessError("Kafka Connect refused to " + std::string(verb) + " connector " + name_ +
                       " (HTTP " + std::to_string(response.status) +
                       "): " + connect_error_message(response));
  }
}

void ConnectorHandle::act(const char* verb, const std::function<HttpResponse()>& request) {
  // 409: a rebalance (another connector registered or removed meanwhile) left this worker's
  // view stale for a moment; Connect asks for the request again.
  cdc::wait_for("Kafka Connect to " + std::string(verb) + " connector " + name_, scaled(30s), [&] {
    HttpResponse response = request();
    if (response.status == 409)
      return Probe<bool>::not_yet("HTTP 409: " + connect_error_message(response));
    act(verb, std::move(response));
    return Probe<bool>::ready(true);
  });
}

void ConnectorHandle::pause() {
  act("pause", [&] { return connect_->put_json(path("/pause"), ""); });
  wait_for(ConnectorState::Paused);
}

void ConnectorHandle::resume() {
  request_resume();
  wait_for(ConnectorState::Running);
}

void ConnectorHandle::request_resume() {
  act("resume", [&] { return connect_->put_json(path("/resume"), ""); });
}

void ConnectorHandle::restart() {
  act("restart", [&] { return connect_->post(path("/restart?includeTasks=true")); });
  wait_for(ConnectorState::Running);
}

void ConnectorHandle::restart_task(int task) {
  act("restart a task of",
      [&] { return connect_->post(path("/tasks/" + std::to_string(task) + "/restart")); });
  wait_for(ConnectorState::Running);
}

void ConnectorHandle::stop() {
  act("stop", [&] { return connect_->put_json(path("/stop"), ""); });
  wait_for(ConnectorState::Stopped);
}

ConnectorStatus ConnectorHandle::status_unless_failed() {
  ConnectorStatus now = status();
  if (now.state == ConnectorState::Failed) {
    throw HarnessError("connector " + name_ +
                       " FAILED: " + (now.trace.empty() ? "(no trace)" : now.trace));
  }
  for (const auto& task : now.tasks) {
    if (task.state == ConnectorState::Failed) {
      throw HarnessError("connector " + name_ + " task " + std::to_string(task.id) +
                         " FAILED: " + (task.trace.empty() ? "(no trace)" : task.trace));
    }
  }
  return now;
}

void ConnectorHandle::wait_for(ConnectorState want) {
  cdc::wait_for("connector " + name_ + " to be " + to_string(want), scaled(60s), [&] {
    const ConnectorStatus now = status_unless_failed();
    return now.settled_in(want) ? Probe<bool>::ready(true) : Probe<bool>::not_yet(now.describe());
  });
}

namespace {

// Whether `listed` (GET …/offsets) holds an offset past the initial snapshot.
bool past_snapshot(const json& listed) {
  for (const auto& entry : listed.value("offsets", json::array())) {
    const json offset = entry.value("offset", json::object());
    if (!offset.contains("snapshot") || offset.value("snapshot_completed", false)) return true;
  }
  return false;
}

}  // namespace

void ConnectorHandle::wait_until_snapshot_committed() {
  cdc::wait_for("connector " + name_ + " to commit an offset past its initial snapshot",
                scaled(60s), [&] {
                  const json listed = offsets();
                  if (past_snapshot(listed)) return Probe<bool>::ready(true);
                  return Probe<bool>::not_yet(listed.dump().substr(0, 300));
                });
}

void ConnectorHandle::wait_for_next_offset_commit() {
  const json before = offsets();
  cdc::wait_for(
      "connector " + name_ + " to commit a streaming offset other than " +
          before.dump().substr(0, 200),
      scaled(30s),
      [&] {
        const json now = offsets();
        if (now != before && past_snapshot(now)) return Probe<bool>::ready(true);
        return Probe<bool>::not_yet(now.dump().substr(0, 300));
      },
      50ms);
}

bool ConnectorHandle::reset_offsets() {
  return cdc::wait_for("Kafka Connect to reset the offsets of " + name_, scaled(30s), [&] {
    const auto response = connect_->del(path("/offsets"));
    if (response.status == 200) return Probe<bool>::ready(true);
    if (response.status == 404 || response.status == 405) return Probe<bool>::ready(false);
    // 400: the stop has not reached every worker yet; 409: a rebalance.
    if (response.status == 400 || response.status == 409)
      return Probe<bool>::not_yet("HTTP " + std::to_string(response.status) + ": " +
                                  connect_error_message(response));
    act("reset the offsets of", response);
    return Probe<bool>::ready(false);
  });
}

void ConnectorHandle::remove() {
  // Stop and reset the source offsets first, so that nothing of it stays in the worker's
  // offsets topic, which on a shared cluster is not ours to clutter.
  const auto stopped = connect_->put_json(path("/stop"), "");
  if (stopped.status != 404 && stopped.status != 405) {
    act("stop", stopped);
    cdc::wait_for("connector " + name_ + " to stop before its offsets are reset", scaled(30s), [&] {
      const ConnectorStatus now = status();
      if (now.state == ConnectorState::Stopped || now.state == ConnectorState::Absent)
        return Probe<bool>::ready(true);
      return Probe<bool>::not_yet(now.describe());
    });
    reset_offsets();
  }
  cdc::wait_for("Kafka Connect to delete connector " + name_, scaled(60s), [&] {
    const auto response = connect_->del(path());
    if (succeeded(response) || response.status == 404) return Probe<bool>::ready(true);
    if (response.status == 409)
      return Probe<bool>::not_yet("HTTP 409: " + connect_error_message(response));
    act("delete", response);
    return Probe<bool>::ready(true);
  });
  cdc::wait_for("connector " + name_ + " to be gone from Kafka Connect", scaled(30s), [&] {
    const ConnectorStatus now = status();
    return now.state == ConnectorState::Absent ? Probe<bool>::ready(true)
                                               : Probe<bool>::not_yet(now.describe());
  });
}

std::vector<std::string> list_connectors(ConnectClient& connect) {
  const auto listed = connect.get("/connectors");
  if (listed.status != 200) {
    throw HarnessError("Kafka Connect could not list connectors (HTTP " +
                       std::to_string(listed.status) + "): " + connect_error_message(listed));
  }
  return json::parse(listed.body).get<std::vector<std::string>>();
}

std::string plugin_version(ConnectClient& connect, const std::string& connector_class) {
  const json plugins = json::parse(connect.get("/connector-plugins").body, nullptr, false);
  if (!plugins.is_array()) return "?";
  for (const auto& plugin : plugins) {
    if (plugin.value("class", "") == connector_class) return plugin.value("version", "?");
  }
  return "?";
}

}  // namespace cdc
