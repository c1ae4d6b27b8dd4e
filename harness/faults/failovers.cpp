#include "harness/faults/failovers.hpp"

#include <algorithm>
#include <functional>

#include "harness/common/errors.hpp"
#include "harness/common/progress.hpp"
#include "harness/common/timeouts.hpp"
#include "harness/common/wait.hpp"
#include "harness/connector/connector_handle.hpp"
#include "harness/stack/kafka_admin.hpp"

namespace cdc {
using namespace std::chrono_literals;

namespace {

constexpr int kBrokersNeeded = 3;
constexpr int kWorkersNeeded = 2;

void require(const FaultTarget& t, Component component, int needed, const std::string& fault) {
  const int has = t.stack.nodes(component);
  if (has >= needed) return;
  const char* what = component == Component::Kafka ? "brokers" : "Connect workers";
  throw HarnessError("fault " + fault + " needs " + std::to_string(needed) + " " + what +
                     " and this stack runs " + std::to_string(has) +
                     ": bring one up with --brokers 3 --workers 2 (CDC_BROKERS=3 CDC_WORKERS=2 "
                     "for ctest)");
}

// The connector's task 0 as some live worker reports it (any worker answers for the group).
std::optional<TaskStatus> task_zero(const std::vector<std::string>& worker_urls,
                                    const std::string& connector, std::string& seen) {
  for (const auto& url : worker_urls) {
    try {
      const ConnectorStatus status = ConnectorHandle(url, connector).status();
      if (status.tasks.empty()) {
        seen = url + ": " + status.describe();
        continue;
      }
      return status.tasks.front();
    } catch (const std::exception& e) {
      seen = url + ": " + e.what();  // a dead worker: ask the next
    }
  }
  return std::nullopt;
}

// The node (1-based) whose REST URL the worker id ("host:port") names.
int worker_node(const std::vector<std::string>& worker_urls, const std::string& worker_id) {
  for (size_t i = 0; i < worker_urls.size(); ++i) {
    if (worker_urls[i].ends_with("//" + worker_id)) return static_cast<int>(i) + 1;
  }
  throw HarnessError("no Connect worker of this stack advertises itself as " + worker_id);
}

// Waits until task 0 runs, on a worker other than `not_on` ("" for any).
TaskStatus await_task_running(const FaultTarget& t, const std::string& not_on,
                              std::chrono::milliseconds timeout) {
  const auto urls = t.stack.node_endpoints(Component::Connect);
  return wait_for("connector " + t.connector.name + "'s task 0 to run" +
                      (not_on.empty() ? "" : " on a worker other than " + not_on),
                  timeout, [&] {
                    std::string seen = "no worker answered";
                    const auto task = task_zero(urls, t.connector.name, seen);
                    if (!task) return Probe<TaskStatus>::not_yet(seen);
                    const std::string where =
                        "task 0 " + to_string(task->state) + " on " + task->worker_id;
                    if (task->state == ConnectorState::Running && !task->worker_id.empty() &&
                        task->worker_id != not_on)
                      return Probe<TaskStatus>::ready(*task, where);
                    return Probe<TaskStatus>::not_yet(where);
                  });
}

std::string describe(const PartitionHolders& h) {
  const auto list = [](const std::vector<int32_t>& ids) {
    std::string text;
    for (const int32_t id : ids) text += (text.empty() ? "" : ",") + std::to_string(id);
    return "[" + text + "]";
  };
  return "leader " + std::to_string(h.leader) + ", replicas " + list(h.replicas) + ", in sync " +
         list(h.in_sync);
}

// Waits until the change topic's partition 0 satisfies `ready`.
PartitionHolders await_partition(const FaultTarget& t, const std::string& what,
                                 const std::function<bool(const PartitionHolders&)>& ready) {
  const std::string topic = t.connector.change_topic();
  return wait_for(topic + "-0 to have " + what, scaled(90s), [&] {
    try {
      const auto holders = kafka_partition_holders(t.endpoints.kafka_bootstrap, topic, 0, 5s);
      if (ready(holders)) return Probe<PartitionHolders>::ready(holders, describe(holders));
      return Probe<PartitionHolders>::not_yet(describe(holders));
    } catch (const HarnessError& e) {
      return Probe<PartitionHolders>::not_yet(e.what());
    }
  });
}

bool fully_in_sync(const PartitionHolders& h) {
  return h.leader >= 0 && !h.replicas.empty() && h.in_sync.size() == h.replicas.size();
}

Fault kafka_leader_crash(const FaultTarget& t) {
  const std::string name = "kafka-leader-crash";
  require(t, Component::Kafka, kBrokersNeeded, name);
  auto leader = std::make_shared<int32_t>(-1);
  StackBackend* stack = &t.stack;
  return Fault{
      name,
      "SIGKILL the broker leading the change topic's partition, until another leads it; "
      "then start it",
      FaultKind::Crash,
      [=] {
        *leader = await_partition(t, "a leader", [](const PartitionHolders& h) {
                    return h.leader >= 0;
                  }).leader;
        stack->act_on_node(Component::Kafka, *leader, ComponentAction::Kill, Progress(true));
        await_partition(
            t, "a leader other than broker " + std::to_string(*leader),
            [&](const PartitionHolders& h) { return h.leader >= 0 && h.leader != *leader; });
      },
      [=] {
        stack->act_on_node(Component::Kafka, *leader, ComponentAction::Start, Progress(true));
      }};
}

Fault connect_worker_failover(const FaultTarget& t) {
  const std::string name = "connect-worker-failover";
  require(t, Component::Connect, kWorkersNeeded, name);
  auto node = std::make_shared<int>(0);
  StackBackend* stack = &t.stack;
  return Fault{
      name,
      "SIGKILL the Connect worker running the task, until the task runs on another; then start it",
      FaultKind::Crash,
      [=] {
        const TaskStatus running = await_task_running(t, "", scaled(60s));
        *node = worker_node(stack->node_endpoints(Component::Connect), running.worker_id);
        stack->act_on_node(Component::Connect, *node, ComponentAction::Kill, Progress(true));
        // Connect notices the worker gone when its session times out (10 s by default).
        await_task_running(t, running.worker_id, scaled(120s));
      },
      [=] {
        stack->act_on_node(Component::Connect, *node, ComponentAction::Start, Progress(true));
      }};
}

// Each node of `component` in turn: SIGTERM, start, and `settled` before the next.
Fault rolling_restart(const FaultTarget& t, const std::string& name, Component component,
                      int needed, FaultKind kind, const std::string& how,
                      std::function<void()> settled) {
  require(t, component, needed, name);
  StackBackend* stack = &t.stack;
  return Fault{name, how, kind,
               [=] {
                 for (int node = 1; node <= stack->nodes(component); ++node) {
                   stack->act_on_node(component, node, ComponentAction::Stop, Progress(true));
                   stack->act_on_node(component, node, ComponentAction::Start, Progress(true));
                   settled();
                 }
               },
               [] {}};
}

Fault kafka_rolling_restart(const FaultTarget& t) {
  return rolling_restart(
      // A crash for the task, as kafka-restart is: a send that fails while a broker stops
      // fails the task, which replays from its committed offset (5 duplicates seen in CI).
      t, "kafka-rolling-restart", Component::Kafka, kBrokersNeeded, FaultKind::Crash,
      "each broker in turn: SIGTERM, start, and the partition fully in sync again before the next",
      [=] { await_partition(t, "every replica in sync", fully_in_sync); });
}

Fault connect_rolling_restart(const FaultTarget& t) {
  return rolling_restart(
      t, "connect-rolling-restart", Component::Connect, kWorkersNeeded, FaultKind::Graceful,
      "each Connect worker in turn: SIGTERM, start, and the task running again before the next",
      [=] { await_task_running(t, "", scaled(120s)); });
}

using FailoverMaker = Fault (*)(const FaultTarget&);
const std::vector<std::pair<std::string, FailoverMaker>>& failover_makers() {
  static const std::vector<std::pair<std::string, FailoverMaker>> all = {
      {"kafka-leader-crash", kafka_leader_crash},
      {"connect-worker-failover", connect_worker_failover},
      {"kafka-rolling-restart", kafka_rolling_restart},
      {"connect-rolling-restart", connect_rolling_restart},
  };
  return all;
}

}  // namespace

std::vector<std::string> failover_fault_names() {
  std::vector<std::string> names;
  for (const auto& [name, make] : failover_makers()) names.push_back(name);
  return names;
}

std::optional<Fault> make_failover(const std::string& name, const FaultTarget& target) {
  for (const auto& [n, make] : failover_makers()) {
    if (n == name) return make(target);
  }
  return std::nullopt;
}

bool can_fail_over(const StackBackend& stack) {
  return stack.nodes(Component::Kafka) >= kBrokersNeeded &&
         stack.nodes(Component::Connect) >= kWorkersNeeded;
}

}  // namespace cdc
