#include "harness/stack/compose/compose_stack.hpp"

#include <nlohmann/json.hpp>

#include "harness/common/errors.hpp"
#include "harness/common/files.hpp"
#include "harness/common/interrupt.hpp"
#include "harness/common/run_dir.hpp"
#include "harness/common/timeouts.hpp"
#include "harness/common/wait.hpp"
#include "harness/stack/compose/docker_compose.hpp"
#include "harness/stack/ports.hpp"

namespace cdc::compose {
namespace fs = std::filesystem;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

// The services compose/docker-compose.yml names.
const std::vector<std::string> kServices = {"postgres", "kafka", "connect"};

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
    const int pg_port = pick_free_port();
    set_harness_roles(endpoints, "127.0.0.1", pg_port, "cdctest");  // POSTGRES_DB
    const int kafka_port = pick_free_port();
    const int connect_port = pick_free_port();
    endpoints.kafka_bootstrap = "127.0.0.1:" + std::to_string(kafka_port);
    endpoints.connect_url = "http://127.0.0.1:" + std::to_string(connect_port);
    const json state = {{"project", "cdc-harness-" + choice_.run_id},
                        {"file", choice_.config.string()},
                        {"ports", {pg_port, kafka_port, connect_port}}};
    // Recorded before `compose up`, so `down` finds the project even if this process dies.
    write_file(state_file(), state.dump(2) + "\n");
    const DockerCompose compose(state["project"], choice_.config, docker_log(),
                                {{"CDC_PG_PORT", std::to_string(pg_port)},
                                 {"CDC_KAFKA_PORT", std::to_string(kafka_port)},
                                 {"CDC_CONNECT_PORT", std::to_string(connect_port)},
                                 {"CDC_ADMIN_PASSWORD", endpoints.admin.password},
                                 {"CDC_APP_PASSWORD", endpoints.app.password},
                                 {"CDC_DEBEZIUM_PASSWORD", endpoints.debezium.password}});
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
    for (const auto& name : kServices) {
      ComponentStatus component{name, false, "no container in project " + compose.project()};
      for (const auto& s : services) {
        if (s.service == name) component = {name, s.healthy(), s.describe()};
      }
      out.push_back(component);
    }
    return out;
  }

  void act_on(Component component, ComponentAction action, const Progress& progress) override {
    if (!fs::exists(state_file())) {
      throw HarnessError("no compose project recorded in " + run_dir_.string() +
                         ": bring the stack up first");
    }
    const auto compose = recorded_project();
    const std::string service = to_string(component);
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

 private:
  fs::path state_file() const { return RunDir(run_dir_).compose_state(); }
  fs::path docker_log() const { return RunDir(run_dir_).log("docker"); }

  DockerCompose recorded_project() const {
    const json state = json::parse(read_file(state_file()));
    return DockerCompose(state.at("project"), state.at("file").get<std::string>(), docker_log());
  }

  void save_logs(const DockerCompose& compose) const {
    for (const auto& service : kServices) {
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
