#include "harness/stack/compose/compose_stack.hpp"

#include <sstream>

#include <nlohmann/json.hpp>

#include "harness/common/errors.hpp"
#include "harness/common/files.hpp"
#include "harness/common/interrupt.hpp"
#include "harness/common/run_dir.hpp"
#include "harness/common/timeouts.hpp"
#include "harness/common/wait.hpp"
#include "harness/stack/compose/docker_compose.hpp"
#include "harness/stack/ports.hpp"
#include "harness/stack/version_sets.hpp"

namespace cdc::compose {
namespace fs = std::filesystem;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

// The services compose/docker-compose.yml names; its cluster profile adds the rest.
const std::vector<std::string> kServices = {"postgres", "kafka", "connect"};
const std::vector<std::string> kClusterServices = {"postgres", "kafka",   "kafka-2",
                                                   "kafka-3",  "connect", "connect-2"};

// The cluster profile's settings: compose/cluster.env beside the compose file.
std::vector<std::pair<std::string, std::string>> cluster_settings(const fs::path& compose_file) {
  const fs::path file = compose_file.parent_path() / "cluster.env";
  if (!fs::exists(file)) {
    throw HarnessError("a compose cluster needs " + file.string() +
                       " (the cluster profile's settings) beside " + compose_file.string() +
                       ": copy compose/cluster.env there");
  }
  std::vector<std::pair<std::string, std::string>> settings;
  std::istringstream lines(read_file(file));
  for (std::string line; std::getline(lines, line);) {
    const size_t equals = line.find('=');
    if (line.empty() || line[0] == '#' || equals == std::string::npos) continue;
    settings.emplace_back(line.substr(0, equals), line.substr(equals + 1));
  }
  return settings;
}

// The avro profile (Apicurio Registry, the workers carrying Apicurio's converters) beside
// whatever profiles the settings turn on already.
void add_avro_profile(std::vector<std::pair<std::string, std::string>>& settings) {
  for (auto& [name, value] : settings) {
    if (name == "COMPOSE_PROFILES") {
      value += ",avro";
      return;
    }
  }
  settings.emplace_back("COMPOSE_PROFILES", "avro");
}

class ComposeStack final : public StackBackend {
 public:
  ComposeStack(fs::path run_dir, StackChoice choice, std::chrono::milliseconds health_timeout)
      : run_dir_(fs::absolute(run_dir)),
        choice_(std::move(choice)),
        health_timeout_(health_timeout) {}

  StackEndpoints up(const Progress& progress) override {
    fs::create_directories(RunDir(run_dir_).logs());
    // Before anything is recorded: without Docker nothing starts, so nothing is left.
    DockerCompose::require_available(docker_log());
    StackEndpoints endpoints;
    const int pg_port = pick_free_port(state_file());
    set_harness_roles(endpoints, "127.0.0.1", pg_port, "cdctest");  // POSTGRES_DB
    const bool cluster = choice_.topology.clustered();
    std::vector<std::pair<std::string, std::string>> env =
        cluster ? cluster_settings(choice_.config)
                : std::vector<std::pair<std::string, std::string>>{};
    if (choice_.converter == Converter::Avro) {
      add_avro_profile(env);
      const int registry_port = pick_free_port(state_file());
      env.insert(env.end(), {{"CDC_REGISTRY_PORT", std::to_string(registry_port)},
                             {"CDC_APICURIO_CONVERTERS", "true"}});
      endpoints.schema_registry_url = "http://127.0.0.1:" + std::to_string(registry_port);
      endpoints.connect_schema_registry_url = "http://schema-registry:8080";
    }
    json ports = {pg_port};
    // Each broker answers the host on a port of its own; the first worker serves REST.
    for (int node = 1; node <= choice_.topology.brokers; ++node) {
      const int port = pick_free_port(state_file());
      ports.push_back(port);
      env.emplace_back("CDC_KAFKA_PORT" + (node == 1 ? "" : "_" + std::to_string(node)),
                       std::to_string(port));
      endpoints.kafka_bootstrap +=
          (endpoints.kafka_bootstrap.empty() ? "" : ",") + ("127.0.0.1:" + std::to_string(port));
    }
    for (int node = 1; node <= choice_.topology.workers; ++node) {
      const int port = pick_free_port(state_file());
      ports.push_back(port);
      env.emplace_back("CDC_CONNECT_PORT" + (node == 1 ? "" : "_" + std::to_string(node)),
                       std::to_string(port));
      if (node == 1) endpoints.connect_url = "http://127.0.0.1:" + std::to_string(port);
    }
    const json state = {{"project", "cdc-harness-" + choice_.run_id},
                        {"file", choice_.config.string()},
                        {"cluster", cluster},
                        {"avro", choice_.converter == Converter::Avro},
                        {"ports", ports}};
    // Recorded before `compose up`, so `down` finds the project even if this process dies.
    write_file(state_file(), state.dump(2) + "\n");
    // The version set's releases as the images' tags (the compose file's defaults are the
    // default set's).
    const VersionSet& versions =
        version_set_named(choice_.versions.empty() ? default_version_set() : choice_.versions);
    env.insert(env.end(), {{"CDC_DEBEZIUM_VERSION", versions.debezium},
                           {"CDC_KAFKA_VERSION", versions.kafka},
                           {"CDC_PG_PORT", std::to_string(pg_port)},
                           {"CDC_ADMIN_PASSWORD", endpoints.admin.password},
                           {"CDC_APP_PASSWORD", endpoints.app.password},
                           {"CDC_DEBEZIUM_PASSWORD", endpoints.debezium.password}});
    const DockerCompose compose(state["project"], choice_.config, docker_log(), env);
    try {
      progress.stage("stack", "docker compose project " + compose.project() + " from " +
                                  choice_.config.string() + " (pulls images on first use)");
      compose.run({"up", "--detach", "--quiet-pull"}, scaled(900s), [&](std::chrono::seconds t) {
        progress.stage("stack", "docker compose up: pulling and starting (" +
                                    std::to_string(t.count()) + " s so far)");
      });
      wait_until_healthy(compose, progress);
    } catch (...) {
      progress.stage("stack",
                     "bring-up failed or interrupted: removing project " + compose.project());
      clear_interrupt();  // acted on: the removal below must still get to run docker
      down(Progress(true));
      throw;
    }
    save_endpoints(run_dir_, endpoints);
    return endpoints;
  }

  void down(const Progress& progress) override {
    if (!fs::exists(state_file())) return;
    const auto compose = recorded_project();
    progress.stage("stack",
                   "saving logs and removing project " + compose.project() + " with its volumes");
    try {
      save_logs(compose);
    } catch (const std::exception& e) {
      progress.stage("stack", std::string("could not save the services' logs: ") + e.what());
    }
    compose.run({"down", "--volumes", "--remove-orphans", "--timeout", "10"}, scaled(180s));
    fs::remove_all(RunDir(run_dir_).secrets());
    fs::remove(RunDir(run_dir_).endpoints());
    fs::remove(RunDir(run_dir_).connector());
    fs::remove(state_file());
  }

  std::vector<ComponentStatus> status() const override {
    if (!fs::exists(state_file())) return {{"compose", false, "no project recorded"}};
    const auto compose = recorded_project();
    const auto services = compose.services();
    std::vector<ComponentStatus> out;
    for (const auto& name : recorded_services()) {
      ComponentStatus component{name, false, "no container in project " + compose.project()};
      for (const auto& s : services) {
        if (s.service == name) component = {name, s.healthy(), s.describe()};
      }
      out.push_back(component);
    }
    return out;
  }

  int nodes(Component component) const override {
    if (!fs::exists(state_file()) || !recorded_cluster()) return 1;
    return component == Component::Kafka ? 3 : component == Component::Connect ? 2 : 1;
  }

  void act_on(Component component, ComponentAction action, const Progress& progress) override {
    act_on_node(component, 1, action, progress);
  }

  void act_on_node(Component component, int node, ComponentAction action,
                   const Progress& progress) override {
    if (!fs::exists(state_file())) {
      throw HarnessError("no compose project recorded in " + run_dir_.string() +
                         ": bring the stack up first");
    }
    if (node < 1 || node > nodes(component)) {
      throw HarnessError("the compose project in " + run_dir_.string() + " runs " +
                         std::to_string(nodes(component)) + " " + to_string(component) +
                         " service(s), so there is no " + to_string(component) + " " +
                         std::to_string(node));
    }
    const auto compose = recorded_project();
    const std::string service =
        to_string(component) + (node == 1 ? "" : "-" + std::to_string(node));
    const char* verb = action == ComponentAction::Stop    ? "stop"
                       : action == ComponentAction::Start ? "start"
                       : action == ComponentAction::Kill  ? "kill"
                       : action == ComponentAction::Pause ? "pause"
                                                          : "unpause";
    progress.stage(service, std::string("docker compose ") + verb);
    compose.run({verb, service}, scaled(120s));
    if (action == ComponentAction::Start || action == ComponentAction::Resume) {
      wait_until_healthy(compose, progress);
    }
  }

  bool has_leftovers() const override { return fs::exists(state_file()); }

  bool collect_logs() const override {
    if (!fs::exists(state_file())) return false;
    save_logs(recorded_project());
    return true;
  }

  std::string worker_log() const override {
    if (!fs::exists(state_file())) return "";
    const auto output = recorded_project().try_run({"logs", "--no-color", "connect"}, scaled(30s));
    return output.exit_code == 0 ? output.out : "";
  }

  // What the compose file sets through the image's OFFSET_FLUSH_INTERVAL_MS.
  long intended_offset_flush_ms() const override {
    if (!fs::exists(state_file())) return 0;
    const std::string file =
        read_file(json::parse(read_file(state_file())).at("file").get<std::string>());
    const auto at = file.find("\n  OFFSET_FLUSH_INTERVAL_MS:");
    return at == std::string::npos ? 60000 : std::atol(file.c_str() + file.find(':', at + 3) + 1);
  }

 private:
  fs::path state_file() const { return RunDir(run_dir_).compose_state(); }
  fs::path docker_log() const { return RunDir(run_dir_).log("docker"); }

  bool recorded_cluster() const {
    return json::parse(read_file(state_file())).value("cluster", false);
  }
  std::vector<std::string> recorded_services() const {
    const json state = json::parse(read_file(state_file()));
    std::vector<std::string> services =
        state.value("cluster", false) ? kClusterServices : kServices;
    if (state.value("avro", false)) services.push_back("schema-registry");
    return services;
  }

  // The project as recorded; a cluster's with its profile on, so compose sees all services.
  DockerCompose recorded_project() const {
    const json state = json::parse(read_file(state_file()));
    const fs::path file = state.at("file").get<std::string>();
    auto settings = state.value("cluster", false)
                        ? cluster_settings(file)
                        : std::vector<std::pair<std::string, std::string>>{};
    if (state.value("avro", false)) add_avro_profile(settings);
    return DockerCompose(state.at("project"), file, docker_log(), settings);
  }

  void save_logs(const DockerCompose& compose) const {
    for (const auto& service : recorded_services()) {
      const auto output =
          compose.try_run({"logs", "--no-color", "--timestamps", service}, scaled(60s));
      if (output.exit_code == 0) write_file(RunDir(run_dir_).log(service), output.out);
    }
  }

  void wait_until_healthy(const DockerCompose& compose, const Progress& progress) const {
    std::vector<ServiceState> last;
    try {
      wait_for(
          "compose services " + compose.project() + " to become healthy", health_timeout_, [&] {
            last = compose.services();
            std::string seen;
            bool all = !last.empty();
            for (const auto& s : last) {
              if (s.gone()) {
                throw HarnessError(
                    "compose service " + s.describe() + "; its log ends:\n" +
                    compose.try_run({"logs", "--no-color", "--tail", "25", s.service}, scaled(30s))
                        .out);
              }
              seen += (seen.empty() ? "" : ", ") + s.describe();
              all = all && s.healthy();
            }
            if (all) return Probe<bool>::ready(true, seen);
            return Probe<bool>::not_yet(last.empty() ? "no containers yet" : seen);
          });
    } catch (const TimeoutError& e) {
      std::string logs;
      for (const auto& s : last) {
        if (s.healthy()) continue;
        logs += "\n" + s.service + "'s log ends:\n" +
                compose.try_run({"logs", "--no-color", "--tail", "15", s.service}, scaled(30s)).out;
      }
      throw TimeoutError(e.what() + logs);
    }
    progress.stage("stack", "all services healthy");
  }

  fs::path run_dir_;
  StackChoice choice_;
  std::chrono::milliseconds health_timeout_;
};

}  // namespace

std::unique_ptr<StackBackend> make_compose_backend(const fs::path& run_dir,
                                                   const StackChoice& choice,
                                                   std::chrono::milliseconds health_timeout) {
  return std::make_unique<ComposeStack>(run_dir, choice, health_timeout);
}

std::unique_ptr<StackBackend> make_compose_backend(const fs::path& run_dir,
                                                   const StackChoice& choice) {
  return make_compose_backend(run_dir, choice, scaled(300s));
}

}  // namespace cdc::compose
