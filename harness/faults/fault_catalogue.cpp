#include "harness/faults/fault_catalogue.hpp"

#include <pqxx/pqxx>

#include "harness/common/errors.hpp"
#include "harness/common/progress.hpp"
#include "harness/common/timeouts.hpp"
#include "harness/common/wait.hpp"
#include "harness/connector/connector_handle.hpp"
#include "harness/connector/replication_slot.hpp"
#include "harness/faults/failovers.hpp"
#include "harness/stack/toxiproxy_client.hpp"

namespace cdc {
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

using Maker = std::function<Fault(const FaultTarget&)>;
using ConnectorAction = std::function<void(ConnectorHandle&)>;
using ProxyAction = std::function<void(ToxiproxyClient&)>;

// Two actions on the connector's REST API; what the REST API does is graceful.
Maker on_connector(std::string name, std::string how, ConnectorAction start, ConnectorAction heal) {
  return [=](const FaultTarget& t) {
    const std::string url = t.endpoints.connect_url, connector = t.connector.name;
    const auto act = [=](const ConnectorAction& action) {
      return [=] {
        ConnectorHandle handle(url, connector);
        action(handle);
      };
    };
    return Fault{name, how, FaultKind::Graceful, act(start), act(heal)};
  };
}

// Two actions on one of the stack's components.
Maker on_component(std::string name, std::string how, FaultKind kind, Component component,
                   ComponentAction start, ComponentAction heal) {
  return [=](const FaultTarget& t) {
    StackBackend* stack = &t.stack;
    return Fault{name, how, kind, [=] { stack->act_on(component, start, Progress(true)); },
                 [=] { stack->act_on(component, heal, Progress(true)); }};
  };
}

// Two actions on one of Connect's network paths, through the stack's Toxiproxy.
Maker on_network(std::string name, std::string how, FaultKind kind, ProxyAction start,
                 ProxyAction heal) {
  return [=](const FaultTarget& t) {
    const std::string url = t.endpoints.toxiproxy_url;
    if (url.empty()) {
      throw HarnessError("fault " + name +
                         " needs Toxiproxy on Connect's network paths, which only the native "
                         "stack runs: use `--stack native`, or leave the network faults out");
    }
    const auto act = [=](const ProxyAction& action) {
      return [=] {
        ToxiproxyClient client(url);
        action(client);
      };
    };
    return Fault{name, how, kind, act(start), act(heal)};
  };
}

// A toxic on both directions of a proxy, and its removal.
std::pair<ProxyAction, ProxyAction> toxic_both_ways(const std::string& proxy,
                                                    const std::string& type,
                                                    const nlohmann::json& attributes) {
  return {[=](ToxiproxyClient& c) {
            for (const char* stream : {"downstream", "upstream"})
              c.add_toxic(proxy, Toxic{type + "-" + stream, type, stream, attributes});
          },
          [=](ToxiproxyClient& c) {
            for (const char* stream : {"downstream", "upstream"})
              c.remove_toxic(proxy, type + "-" + stream);
          }};
}

// On one of Connect's paths: a cut (connections reset, new ones refused), 500 ms of latency
// and a trickle of 16 KB/s, each way.
std::vector<std::pair<std::string, Maker>> network_faults(const std::string& path,
                                                          const std::string& proxy,
                                                          const std::string& between) {
  const auto [slow, fast] = toxic_both_ways(proxy, "latency", {{"latency", 500}, {"jitter", 100}});
  const auto [narrow, wide] = toxic_both_ways(proxy, "bandwidth", {{"rate", 16}});
  return {
      {path + "-cut",
       on_network(
           path + "-cut",
           "Toxiproxy disables the proxy " + between +
               ": its connections are reset, new ones refused",
           FaultKind::Crash, [=](ToxiproxyClient& c) { c.set_enabled(proxy, false); },
           [=](ToxiproxyClient& c) { c.set_enabled(proxy, true); })},
      {path + "-latency",
       on_network(path + "-latency", "Toxiproxy adds 500 ± 100 ms each way " + between,
                  FaultKind::Graceful, slow, fast)},
      {path + "-trickle",
       on_network(path + "-trickle", "Toxiproxy lets 16 KB/s through each way " + between,
                  FaultKind::Graceful, narrow, wide)},
  };
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

const std::vector<std::pair<std::string, Maker>>& makers() {
  using C = ConnectorHandle;
  using enum Component;
  using enum ComponentAction;
  using enum FaultKind;
  static const std::vector<std::pair<std::string, Maker>> all = [] {
    std::vector<std::pair<std::string, Maker>> faults = {
        {"connector-restart",
         on_connector("connector-restart", "POST /connectors/{name}/restart?includeTasks=true",
                      &C::restart, [](C&) {})},
        {"task-restart", on_connector(
                             "task-restart", "POST /connectors/{name}/tasks/0/restart",
                             [](C& c) { c.restart_task(0); }, [](C&) {})},
        {"connector-pause",
         on_connector("connector-pause", "PUT /pause ... PUT /resume", &C::pause, &C::resume)},
        {"connector-stop",
         on_connector("connector-stop", "PUT /stop ... PUT /resume", &C::stop, &C::resume)},
        {"connect-restart",
         on_component("connect-restart", "SIGTERM the Connect worker, then start it", Graceful,
                      Connect, Stop, Start)},
        {"connect-crash", on_component("connect-crash", "SIGKILL the Connect worker, then start it",
                                       Crash, Connect, Kill, Start)},
        {"connect-stall", on_component("connect-stall", "SIGSTOP the Connect worker ... SIGCONT",
                                       Crash, Connect, Pause, Resume)},
        {"kafka-restart", on_component("kafka-restart", "SIGTERM the broker, then start it", Crash,
                                       Kafka, Stop, Start)},
        {"kafka-crash", on_component("kafka-crash", "SIGKILL the broker, then start it", Crash,
                                     Kafka, Kill, Start)},
        {"kafka-stall", on_component("kafka-stall", "SIGSTOP the broker ... SIGCONT", Crash, Kafka,
                                     Pause, Resume)},
        {"postgres-restart", on_component("postgres-restart", "pg_ctl stop -m fast, then start",
                                          Crash, Postgres, Stop, Start)},
        {"postgres-crash",
         on_component("postgres-crash",
                      "SIGKILL every Postgres process, then start (crash recovery)", Crash,
                      Postgres, Kill, Start)},
        {"postgres-stall",
         on_component("postgres-stall", "SIGSTOP every Postgres process ... SIGCONT", Crash,
                      Postgres, Pause, Resume)},
        {"walsender-terminated", walsender_terminated},
    };
    for (auto& f :
         network_faults("connect-postgres", kPostgresProxy, "between Connect and Postgres"))
      faults.push_back(std::move(f));
    for (auto& f : network_faults("connect-kafka", kKafkaProxy, "between Connect and the broker"))
      faults.push_back(std::move(f));
    return faults;
  }();
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
  if (auto failover = make_failover(name, target)) return std::move(*failover);
  std::string known;
  for (const auto& n : fault_names()) known += (known.empty() ? "" : ", ") + n;
  for (const auto& n : failover_fault_names()) known += ", " + n + " (a cluster's)";
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
