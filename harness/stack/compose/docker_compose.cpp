#include "harness/stack/compose/docker_compose.hpp"

#include <boost/process/search_path.hpp>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "harness/common/errors.hpp"
#include "harness/common/text.hpp"
#include "harness/common/timeouts.hpp"

namespace cdc::compose {
namespace fs = std::filesystem;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

fs::path docker_executable() {
  const auto found = boost::process::search_path("docker");
  if (found.empty()) {
    throw HarnessError(
        "docker is not installed (no `docker` on PATH): install Docker Engine with the compose "
        "plugin (https://docs.docker.com/engine/install/), or use --stack native");
  }
  return found.string();
}

CommandOutput run_docker(const std::vector<std::string>& args,
                         const std::vector<std::pair<std::string, std::string>>& env,
                         const fs::path& log, std::chrono::milliseconds timeout,
                         const std::function<void(std::chrono::seconds)>& still_running = nullptr) {
  ProcessSpec spec{"docker " + (args.empty() ? std::string() : args[0]),
                   docker_executable(),
                   args,
                   log,
                   fs::current_path(),
                   std::nullopt,
                   env};
  fs::create_directories(log.parent_path());
  std::ofstream record(log, std::ios::app);
  record << "$ docker";
  for (const auto& arg : args) record << ' ' << arg;
  record << "\n" << std::flush;
  try {
    CommandOutput output = run_captured(spec, timeout, still_running);
    record << output.err << "(exit " << output.exit_code << ")\n";
    return output;
  } catch (const TimeoutError& e) {
    record << "(killed: " << e.what() << ")\n";
    throw;
  }
}

}  // namespace

std::string ServiceState::describe() const {
  std::string out = service + " " + state;
  if (!health.empty()) out += " (" + health + ")";
  if (gone()) out += " exit code " + std::to_string(exit_code);
  return out;
}

std::vector<ServiceState> parse_compose_ps(const std::string& output) {
  std::vector<json> entries;
  const json whole = json::parse(output, nullptr, false);
  if (whole.is_array()) {
    entries.assign(whole.begin(), whole.end());
  } else {
    std::istringstream in(output);
    for (std::string line; std::getline(in, line);) {
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      const json entry = json::parse(line, nullptr, false);
      if (!entry.is_object()) {
        throw HarnessError("cannot read `docker compose ps --format json` output: '" + line + "'");
      }
      entries.push_back(entry);
    }
  }
  std::vector<ServiceState> services;
  for (const auto& e : entries) {
    services.push_back({e.value("Service", e.value("Name", "?")), e.value("State", ""),
                        e.value("Health", ""), e.value("ExitCode", 0)});
  }
  return services;
}

DockerCompose::DockerCompose(std::string project, fs::path file, fs::path log,
                             std::vector<std::pair<std::string, std::string>> env)
    : project_(std::move(project)),
      file_(std::move(file)),
      log_(std::move(log)),
      env_(std::move(env)) {}

void DockerCompose::require_available(const fs::path& log) {
  // `docker version` states a missing daemon in one line (`docker info --format` does not).
  const auto server =
      run_docker({"version", "--format", "{{.Server.Version}}"}, {}, log, scaled(30s));
  if (server.exit_code != 0) {
    throw HarnessError("the Docker daemon does not answer (" +
                       first_line(server.err + "\n" + server.out, "no output") +
                       "): start it (e.g. `sudo systemctl start docker`), or use --stack native");
  }
  const auto version = run_docker({"compose", "version", "--short"}, {}, log, scaled(30s));
  if (version.exit_code != 0) {
    throw HarnessError("docker compose (v2) is not available (" +
                       first_line(version.err + "\n" + version.out, "no output") +
                       "): install Docker's compose plugin (docker-compose-plugin)");
  }
}

CommandOutput DockerCompose::try_run(
    const std::vector<std::string>& args, std::chrono::milliseconds timeout,
    const std::function<void(std::chrono::seconds)>& still_running) const {
  std::vector<std::string> full = {"compose", "-p", project_, "-f", file_.string()};
  full.insert(full.end(), args.begin(), args.end());
  return run_docker(full, env_, log_, timeout, still_running);
}

std::string DockerCompose::run(
    const std::vector<std::string>& args, std::chrono::milliseconds timeout,
    const std::function<void(std::chrono::seconds)>& still_running) const {
  const auto output = try_run(args, timeout, still_running);
  if (output.exit_code != 0) {
    throw HarnessError("`docker compose " + (args.empty() ? std::string() : args[0]) +
                       "` for project " + project_ + " failed (exit " +
                       std::to_string(output.exit_code) + "):\n" + last_lines(output.err, 12));
  }
  return output.out;
}

std::vector<ServiceState> DockerCompose::services() const {
  return parse_compose_ps(run({"ps", "--all", "--format", "json"}, scaled(30s)));
}

}  // namespace cdc::compose
