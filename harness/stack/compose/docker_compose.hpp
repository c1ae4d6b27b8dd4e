#pragma once
#include <chrono>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "harness/common/process.hpp"

namespace cdc::compose {

// One service as `docker compose ps --format json` describes it.
struct ServiceState {
  std::string service{};
  std::string state{};   // created, running, restarting, exited, dead
  std::string health{};  // healthy, starting, unhealthy, or "" without a healthcheck
  int exit_code = 0;

  bool healthy() const { return state == "running" && (health.empty() || health == "healthy"); }
  bool gone() const { return state == "exited" || state == "dead"; }
  std::string describe() const;  // "kafka running (starting)"
};

// One compose project: `docker compose -p <project> -f <file> ...`, run through Boost.Process
// with the given environment (ports, passwords), each call logged (command line and its
// stderr, never the environment) to `log`.
class DockerCompose {
 public:
  DockerCompose(std::string project, std::filesystem::path file, std::filesystem::path log,
                std::vector<std::pair<std::string, std::string>> env = {});

  // Docker is installed, its daemon answers and compose v2 is there; else a HarnessError
  // that says which of the three is missing and how to fix it.
  static void require_available(const std::filesystem::path& log);

  // Runs `docker compose ... <args>`; a non-zero exit throws a HarnessError with the end of
  // its stderr. Returns its stdout.
  std::string run(const std::vector<std::string>& args, std::chrono::milliseconds timeout,
                  const std::function<void(std::chrono::seconds)>& still_running = nullptr) const;
  // The same, returning the exit code and both streams instead of judging them.
  CommandOutput try_run(
      const std::vector<std::string>& args, std::chrono::milliseconds timeout,
      const std::function<void(std::chrono::seconds)>& still_running = nullptr) const;

  // Every service of the project as `ps --all --format json` describes it.
  std::vector<ServiceState> services() const;

  const std::string& project() const { return project_; }

 private:
  std::string project_;
  std::filesystem::path file_;
  std::filesystem::path log_;
  std::vector<std::pair<std::string, std::string>> env_;
};

// Reads both forms compose has printed: one JSON array (before v2.21) or a line per service.
std::vector<ServiceState> parse_compose_ps(const std::string& output);

}  // namespace cdc::compose
