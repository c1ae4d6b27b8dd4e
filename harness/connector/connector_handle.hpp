#pragma once
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/connector/connect_client.hpp"

namespace cdc {

// The states Kafka Connect reports for a connector and its tasks, plus Absent (HTTP 404).
enum class ConnectorState { Unassigned, Running, Paused, Stopped, Failed, Restarting, Absent };

std::string to_string(ConnectorState state);

struct TaskStatus {
  int id = 0;
  ConnectorState state = ConnectorState::Unassigned;
  std::string trace{};
  std::string worker_id{};  // the worker running it, as it advertises itself ("host:port")
};

struct ConnectorStatus {
  ConnectorState state = ConnectorState::Absent;
  std::string trace{};
  std::vector<TaskStatus> tasks{};
  std::string note{};  // why Connect gave no status (e.g. HTTP 409 during a rebalance)

  // The connector, and every task (at least one; a stopped connector has none), in `want`.
  bool settled_in(ConnectorState want) const;
  std::string describe() const;  // "connector RUNNING, task 0 RUNNING"
};

// One connector on a Kafka Connect worker, over its REST API. Every action waits, with a
// deadline, for the state it leads to; a FAILED connector or task ends a wait at once with
// Connect's trace.
class ConnectorHandle {
 public:
  ConnectorHandle(const std::string& connect_url, std::string name);

  const std::string& name() const { return name_; }

  ConnectorStatus status();
  // status(), but a FAILED connector or task is a HarnessError carrying Connect's trace.
  ConnectorStatus status_unless_failed();
  nlohmann::json config();   // as Connect holds it (404: an empty object)
  nlohmann::json offsets();  // GET /connectors/{name}/offsets: {"offsets": [...]}
  // The topics it has written to since it started (Connect's topic tracking, on by default):
  // GET /connectors/{name}/topics. Empty when the worker tracks none.
  std::vector<std::string> active_topics();

  // PUT /connectors/{name}/config: registers or updates, idempotently. Connect's 409 during
  // a rebalance is retried; a rejected config is a HarnessError with Connect's words.
  void put_config(const nlohmann::json& config);

  void pause();   // -> PAUSED
  void resume();  // -> RUNNING
  // Asks Connect to resume, without waiting for the tasks to run: a task whose start blocks
  // (Debezium retrying a slot it cannot obtain) is not RUNNING until it gives up.
  void request_resume();
  void restart();               // connector and tasks -> RUNNING
  void restart_task(int task);  // -> RUNNING
  void stop();                  // -> STOPPED (tasks shut down, offsets kept)

  // Waits until connector and tasks are in `state`.
  void wait_for(ConnectorState state);
  // Waits until Connect has committed an offset past the initial snapshot: from then on a
  // restart resumes streaming instead of snapshotting again.
  void wait_until_snapshot_committed();
  // Waits until Connect commits an offset other than the one it holds now: the moment a
  // crash resumes from a position inside what the connector is streaming.
  void wait_for_next_offset_commit();

  // DELETE /connectors/{name}/offsets on a stopped connector (Connect 3.6+): it forgets
  // where it was. False when the worker has no such API.
  bool reset_offsets();

  // Stops it, resets its source offsets (Connect 3.6+), deletes it and waits until Connect
  // has let go of it. A connector that is not there is already removed.
  void remove();

 private:
  std::string path(std::string_view tail = "") const;
  void act(const char* verb, HttpResponse response);
  // The same, asking again while Connect answers 409 (a rebalance), up to a deadline.
  void act(const char* verb, const std::function<HttpResponse()>& request);

  std::string name_;
  std::unique_ptr<ConnectClient> connect_;
};

// The names of the connectors a worker runs.
std::vector<std::string> list_connectors(ConnectClient& connect);

// The version of a connector plugin the worker has ("3.4.1.Final"), or "?" if it has none.
std::string plugin_version(ConnectClient& connect, const std::string& connector_class);

}  // namespace cdc
