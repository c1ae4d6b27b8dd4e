#pragma once
#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace cdc {

struct ProcessSpec {
  std::string name{};  // for messages: "kafka", "initdb", ...
  std::filesystem::path exe{};
  std::vector<std::string> args{};
  std::filesystem::path log{};  // stdout and stderr go here
  std::filesystem::path cwd{};
  std::optional<std::string> run_as;  // OS user, via runuser (Postgres refuses to run as root)
  std::vector<std::pair<std::string, std::string>> env{};  // added to the harness's environment
};

// Starts a long-running server in a session of its own (so a Ctrl-C in the terminal reaches
// only the harness, which then stops the servers in order) and lets it outlive the harness
// process: `up --detach` hands running servers to later test processes. Returns its pid.
int spawn_server(const ProcessSpec& spec);

// Runs a short command to completion; throws a HarnessError with the tail of its log when
// it fails or outlives `timeout`.
void run_command(const ProcessSpec& spec, std::chrono::milliseconds timeout);

// A short command's exit code and what it printed on each stream.
struct CommandOutput {
  int exit_code = 0;
  std::string out{};
  std::string err{};
};

// Runs a short command to completion and returns what it printed; a non-zero exit is the
// caller's to judge. Past `timeout` it kills the command and throws a TimeoutError; Ctrl-C
// kills it and throws Interrupted. A command that cannot start throws a HarnessError.
// (spec.log is unused: the output comes back instead.)
// `still_running`, if given, hears every 15 s how long the command has run, so long work
// (an image pull) shows progress.
CommandOutput run_captured(
    const ProcessSpec& spec, std::chrono::milliseconds timeout,
    const std::function<void(std::chrono::seconds)>& still_running = nullptr);

// Alive and still the process we started: `marker` (a path only our process has on its
// command line) guards against a recycled pid.
bool is_alive(int pid, const std::string& marker);

// The state letter of /proc/<pid>/stat (R, S, D, T, Z, ...), or 0 when there is no such process.
char process_state(int pid);

// SIGTERM (and SIGCONT, should it be paused), up to `grace` for it to exit, then SIGKILL;
// SIGKILL sooner once `waiting_is_pointless` says so. `before_kill` runs when the grace ran
// out, while the process still hangs (to record why). Returns false if it had to kill.
bool stop_process(int pid, const std::string& marker, std::chrono::milliseconds grace,
                  const std::function<bool()>& waiting_is_pointless = {},
                  const std::function<void()>& before_kill = {});

}  // namespace cdc
