#include "harness/faults/fault_catalogue.hpp"

#include <pqxx/pqxx>

#include "harness/common/errors.hpp"
#include "harness/common/progress.hpp"
#include "harness/common/timeouts.hpp"
#include "harness/common/wait.hpp"
#include "harness/connector/connector_handle.hpp"
#include "harness/connector/replication_slot.hpp"

namespace cdc {
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

using Maker = Fault (*)(const FaultTarget&);

Fault on_connector(const FaultTarget& t, const char* name, const char* how,
                   void (ConnectorHandle::*start)(), void (ConnectorHandle::*heal)()) {
  const std::string url = t.endpoints.connect_url;
  const std::string connector = t.connector.name;
  return Fault{name, how, FaultKind::Graceful,
               [=] {
                 ConnectorHandle handle(url, connector);
                 (handle.*start)();
               },
               [=] {
                 if (heal == nullptr) return;
                 ConnectorHandle handle(url, connector);
                 (handle.*heal)();
               }};
}

Fault on_component(const FaultTarget& t, const char* name, const char* how, FaultKind kind,
                   Component component, ComponentAction start, ComponentAction heal) {
  StackBackend* stack = &t.stack;
  return Fault{name, how, kind, [=] { stack->act_on(component, start, Progress(true)); },
               [=] { stack->act_on(component, heal, Progress(true)); }};
}

// The walsender streaming the connector's slot, terminated from the server side: Debezium
// must reconnect on its own (it retries while the old walsender lets go of the slot).
Fault walsender_terminated(const FaultTarget& t) {
  const PostgresEndpoint admin = t.endpoints.admin;
  const std::string slot = t.connector.slot_name();
  return Fault{"walsender-terminated", "pg_terminate_backend(active_pid of the slot)",
               FaultKind::Crash,
               [=] {
                 pqxx::connection conn(admin.conninfo());
                 pqxx::nontransaction tx(conn);
                 const auto r = tx.exec_params(
                     "SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots "
                     "WHERE slot_name = $1 AND active",
                     slot);
                 if (r.empty() || !r[0][0].as<bool>())
                   throw HarnessError("no walsender streams slot " + slot + " to terminate");
               },
               [] {}};
}

const std::vector<std::pair<std::string, std::function<Fault(const FaultTarget&)>>>& makers() {
  using C = ConnectorHandle;
  static const std::vector<std::pair<std::string, std::function<Fault(const FaultTarget&)>>> all = {
      {"connector-restart",
       [](const FaultTarget& t) {
         return on_connector(t, "connector-restart",
                             "POST /connectors/{name}/restart?includeTasks=true", &C::restart,
                             nullptr);
       }},
      {"task-restart",
       [](const FaultTarget& t) {
         Fault f = on_connector(t, "task-restart", "POST /connectors/{name}/tasks/0/restart",
                                nullptr, nullptr);
         const std::string url = t.endpoints.connect_url, name = t.connector.name;
         f.start = [=] { ConnectorHandle(url, name).restart_task(0); };
         return f;
       }},
      {"connector-pause",
       [](const FaultTarget& t) {
         return on_connector(t, "connector-pause", "PUT /pause ... PUT /resume", &C::pause,
                             &C::resume);
       }},
      {"connector-stop",
       [](const FaultTarget& t) {
         return on_connector(t, "connector-stop", "PUT /stop ... PUT /resume", &C::stop,
                             &C::resume);
       }},
      {"connect-restart",
       [](const FaultTarget& t) {
         return on_component(t, "connect-restart", "SIGTERM the Connect worker, then start it",
                             FaultKind::Graceful, Component::Connect, ComponentAction::Stop,
                             ComponentAction::Start);
       }},
      {"connect-crash",
       [](const FaultTarget& t) {
         return on_component(t, "connect-crash", "SIGKILL the Connect worker, then start it",
                             FaultKind::Crash, Component::Connect, ComponentAction::Kill,
                             ComponentAction::Start);
       }},
      {"connect-stall",
       [](const FaultTarget& t) {
         return on_component(t, "connect-stall", "SIGSTOP the Connect worker ... SIGCONT",
                             FaultKind::Crash, Component::Connect, ComponentAction::Pause,
                             ComponentAction::Resume);
       }},
      {"kafka-restart",
       [](const FaultTarget& t) {
         return on_component(t, "kafka-restart", "SIGTERM the broker, then start it",
                             FaultKind::Crash, Component::Kafka, ComponentAction::Stop,
                             ComponentAction::Start);
       }},
      {"kafka-crash",
       [](const FaultTarget& t) {
         return on_component(t, "kafka-crash", "SIGKILL the broker, then start it",
                             FaultKind::Crash, Component::Kafka, ComponentAction::Kill,
                             ComponentAction::Start);
       }},
      {"kafka-stall",
       [](const FaultTarget& t) {
         return on_component(t, "kafka-stall", "SIGSTOP the broker ... SIGCONT", FaultKind::Crash,
                             Component::Kafka, ComponentAction::Pause, ComponentAction::Resume);
       }},
      {"postgres-restart",
       [](const FaultTarget& t) {
         return on_component(t, "postgres-restart", "pg_ctl stop -m fast, then start",
                             FaultKind::Crash, Component::Postgres, ComponentAction::Stop,
                             ComponentAction::Start);
       }},
      {"postgres-crash",
       [](const FaultTarget& t) {
         return on_component(
             t, "postgres-crash", "SIGKILL every Postgres process, then start (crash recovery)",
             FaultKind::Crash, Component::Postgres, ComponentAction::Kill, ComponentAction::Start);
       }},
      {"postgres-stall",
       [](const FaultTarget& t) {
         return on_component(t, "postgres-stall", "SIGSTOP every Postgres process ... SIGCONT",
                             FaultKind::Crash, Component::Postgres, ComponentAction::Pause,
                             ComponentAction::Resume);
       }},
      {"walsender-terminated", walsender_terminated},
  };
  return all;
}

}  // namespace

std::vector<std::string> fault_names() {
  std::vector<std::string> names;
  for (const auto& [name, make] : makers()) names.push_back(name);
  return names;
}

Fault make_fault(const std::string& name, const FaultTarget& target) {
  for (const auto& [n, make] : makers()) {
    if (n == name) return make(target);
  }
  std::string known;
  for (const auto& n : fault_names()) known += (known.empty() ? "" : ", ") + n;
  throw HarnessError("unknown fault '" + name + "': the faults are " + known);
}

json pipeline_positions(const FaultTarget& t) {
  json positions = json::object();
  try {
    pqxx::connection conn(t.endpoints.admin.conninfo());
    pqxx::nontransaction tx(conn);
    const auto r = tx.exec_params(
        "SELECT confirmed_flush_lsn::text, restart_lsn::text, active FROM pg_replication_slots "
        "WHERE slot_name = $1",
        t.connector.slot_name());
    if (!r.empty()) {
      positions["slot"] = {{"confirmed_flush_lsn", r[0][0].c_str()},
                           {"restart_lsn", r[0][1].c_str()},
                           {"active", r[0][2].as<bool>()}};
    }
  } catch (const std::exception& e) {
    positions["slot"] = {{"unavailable", e.what()}};
  }
  try {
    positions["connect_offsets"] = ConnectorHandle(t.endpoints.connect_url, t.connector.name)
                                       .offsets()
                                       .value("offsets", json::array());
  } catch (const std::exception& e) {
    positions["connect_offsets"] = {{"unavailable", e.what()}};
  }
  return positions;
}

}  // namespace cdc
