#include "harness/stack/native/native_state.hpp"

#include "harness/common/errors.hpp"
#include "harness/common/files.hpp"

namespace cdc::native {
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

json process_to_json(const RecordedProcess& p) {
  json j = {{"pid", p.pid}, {"marker", p.marker}, {"endpoint", p.endpoint}, {"port", p.port}};
  if (!p.name.empty()) j["name"] = p.name;
  if (p.node_id) j["node_id"] = p.node_id;
  if (p.controller_port) j["controller_port"] = p.controller_port;
  if (p.metrics_port) j["metrics_port"] = p.metrics_port;
  if (!p.bootstrap.empty()) j["bootstrap"] = p.bootstrap;
  if (!p.class_dump.empty()) j["class_dump"] = p.class_dump;
  if (!p.proxies.empty()) j["proxies"] = p.proxies;
  return j;
}

RecordedProcess process_from_json(const json& j) {
  RecordedProcess p;
  if (!j.is_object() || !j.contains("pid")) return p;
  p.pid = j.at("pid").get<int>();
  p.marker = j.value("marker", "");
  p.name = j.value("name", "");
  p.endpoint = j.value("endpoint", "");
  p.port = j.value("port", 0);
  p.node_id = j.value("node_id", 0);
  p.controller_port = j.value("controller_port", 0);
  p.metrics_port = j.value("metrics_port", 0);
  p.bootstrap = j.value("bootstrap", "");
  p.class_dump = j.value("class_dump", "");
  if (j.contains("proxies")) p.proxies = j["proxies"].get<std::map<std::string, int>>();
  return p;
}

std::vector<RecordedProcess> nodes_from_json(const json& j) {
  std::vector<RecordedProcess> nodes;
  for (const json& node : j.is_array() ? j : json::array({j}))
    nodes.push_back(process_from_json(node));
  return nodes;
}

json nodes_to_json(const std::vector<RecordedProcess>& nodes) {
  json out = json::array();
  for (const auto& node : nodes) out.push_back(node.pid ? process_to_json(node) : json());
  return out;
}

}  // namespace

std::vector<RecordedProcess> NativeState::nodes(Component component) const {
  std::vector<RecordedProcess> out;
  const std::string component_name = to_string(component);
  for (const auto& recorded : component == Component::Kafka ? kafka : connect) {
    if (!recorded.pid) continue;
    out.push_back(recorded);
    if (out.back().name.empty()) out.back().name = component_name;
  }
  return out;
}

RecordedProcess& NativeState::node(Component component, int node) {
  auto& nodes = component == Component::Kafka ? kafka : connect;
  if (component == Component::Postgres || node < 1)
    throw HarnessError("the state file records no " + to_string(component) + " node " +
                       std::to_string(node));
  if (nodes.size() < static_cast<size_t>(node)) nodes.resize(static_cast<size_t>(node));
  return nodes[static_cast<size_t>(node - 1)];
}

json to_json(const NativeState& s) {
  json j = {{"backend", "native"}, {"run_dir", s.run_dir}, {"owner_pid", s.owner_pid}};
  if (s.postgres) {
    const PostgresServer& pg = *s.postgres;
    j["postgres"] = {{"bindir", pg.bindir}, {"dir", pg.dir}, {"log", pg.log}, {"port", pg.port}};
    if (pg.os_user) j["postgres"]["os_user"] = *pg.os_user;
  }
  if (s.toxiproxy) j["toxiproxy"] = process_to_json(*s.toxiproxy);
  if (s.schema_registry) j["schema_registry"] = process_to_json(*s.schema_registry);
  if (!s.kafka.empty()) j["kafka"] = nodes_to_json(s.kafka);
  if (!s.connect.empty()) j["connect"] = nodes_to_json(s.connect);
  return j;
}

NativeState native_state_from_json(const json& j) {
  NativeState s;
  if (!j.is_object()) return s;
  s.run_dir = j.value("run_dir", "");
  s.owner_pid = j.value("owner_pid", 0);
  if (j.contains("postgres")) {
    const json& pg = j["postgres"];
    PostgresServer server;
    server.bindir = pg.at("bindir").get<std::string>();
    if (pg.contains("os_user")) server.os_user = pg.at("os_user").get<std::string>();
    server.dir = pg.at("dir").get<std::string>();
    server.log = pg.at("log").get<std::string>();
    server.port = pg.at("port");
    s.postgres = server;
  }
  if (j.contains("toxiproxy")) s.toxiproxy = process_from_json(j["toxiproxy"]);
  if (j.contains("schema_registry")) s.schema_registry = process_from_json(j["schema_registry"]);
  if (j.contains("kafka")) s.kafka = nodes_from_json(j["kafka"]);
  if (j.contains("connect")) s.connect = nodes_from_json(j["connect"]);
  return s;
}

NativeState StateFile::load() const {
  std::lock_guard lock(mutex_);
  if (!fs::exists(path_)) return {};
  return native_state_from_json(json::parse(read_file(path_), nullptr, false));
}

void StateFile::update(const std::function<void(NativeState&)>& change) {
  std::lock_guard lock(mutex_);
  NativeState state;
  if (fs::exists(path_))
    state = native_state_from_json(json::parse(read_file(path_), nullptr, false));
  change(state);
  write_file(path_, to_json(state).dump(2) + "\n");
}

}  // namespace cdc::native
