#pragma once
#include <filesystem>
#include <string>

namespace cdc {

// Every file of a run directory, named in this one place. `up` fills it, the scenarios and
// later commands read it, `down` empties it (logs stay).
class RunDir {
 public:
  explicit RunDir(std::filesystem::path root) : root_(std::move(root)) {}

  const std::filesystem::path& root() const { return root_; }
  std::string str() const { return root_.string(); }

  // Which stack kind and run id; written first, so `down` knows what to stop after a crash.
  std::filesystem::path stack_choice() const { return root_ / "stack.json"; }
  // What each backend started: native processes, the compose project.
  std::filesystem::path native_state() const { return root_ / "state.json"; }
  std::filesystem::path compose_state() const { return root_ / "compose.json"; }
  // Hosts and ports of a stack that is up (no passwords), and the connector registered on it.
  std::filesystem::path endpoints() const { return root_ / "endpoints.json"; }
  std::filesystem::path connector() const { return root_ / "connector.json"; }
  // What the Connect worker and the connector run with, as read at bring-up.
  std::filesystem::path worker_settings() const { return root_ / "worker.json"; }
  // 0600 files: the roles' passwords, a pgpass for psql, the settings that share the stack.
  std::filesystem::path secrets() const { return root_ / "secrets"; }
  std::filesystem::path credentials() const { return secrets() / "credentials.properties"; }
  std::filesystem::path pgpass() const { return secrets() / "pgpass"; }
  std::filesystem::path external_settings() const { return secrets() / "external.env"; }
  // The process bringing the stack up (or keeping it in the foreground), and the guard of a
  // detached one.
  std::filesystem::path owner_pid() const { return root_ / "owner.pid"; }
  std::filesystem::path guard_pid() const { return root_ / "guard.pid"; }
  // Logs of every component; they outlive `down`.
  std::filesystem::path logs() const { return root_ / "logs"; }
  std::filesystem::path log(const std::string& component) const {
    return logs() / (component + ".log");
  }
  // The log of a process that hung as it stopped, its threads dumped before it was killed:
  // kept apart, since the next `up` empties logs/.
  std::filesystem::path hung_log(const std::string& component) const {
    return root_ / "hung" / (component + ".log");
  }
  // A native component's own directory (configuration and data).
  std::filesystem::path component_dir(const std::string& component) const {
    return root_ / component;
  }

 private:
  std::filesystem::path root_;
};

}  // namespace cdc
