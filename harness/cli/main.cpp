// cdc-harness: bring a Postgres -> Debezium -> Kafka pipeline up, watch it, take it down.
#include <signal.h>
#include <unistd.h>

#include <cerrno>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "harness/common/errors.hpp"
#include "harness/common/files.hpp"
#include "harness/common/interrupt.hpp"
#include "harness/common/process.hpp"
#include "harness/common/progress.hpp"
#include "harness/connector/connector_config.hpp"
#include "harness/connector/connector_lifecycle.hpp"
#include "harness/observer/change_line.hpp"
#include "harness/observer/envelope_decoder.hpp"
#include "harness/observer/topic_observer.hpp"
#include "harness/stack/backend.hpp"

namespace fs = std::filesystem;
using namespace cdc;

namespace {

const char* kUsage =
    R"(cdc-harness - end-to-end harness for a PostgreSQL -> Debezium -> Kafka pipeline

usage: cdc-harness <command> [options]

commands:
  up       bring the stack up, register the connector, print endpoints; stay until Ctrl-C
  down     stop everything an earlier `up` (or a crashed run) left in the run directory
  status   show what runs in the run directory
  tail     print each change on the change topic as one readable line
  guard    (used by `up --detach --guard-pid`) stop the stack when a process exits

`cdc-harness <command> --help` shows a command's options.
)";

const char* kUpUsage =
    R"(usage: cdc-harness up [--run-dir DIR] [--connector FILE] [--tail] [--detach [--guard-pid PID]]

Brings up Postgres, Kafka (KRaft) and a Kafka Connect worker as local processes on
127.0.0.1, registers the connector and waits until it streams. Then stays until Ctrl-C,
which stops everything.

  --run-dir DIR     data and logs go here (default: $CDC_HARNESS_RUN_DIR or <build>/run/cli)
  --connector FILE  connector config (default: debezium/customer-cdc.json)
  --tail            print changes as they arrive (like `cdc-harness tail`)
  --detach          return once streaming and leave the stack running; `down` stops it
  --guard-pid PID   with --detach: stop the stack when process PID ("parent": the
                    caller) exits; ctest uses this, so a Ctrl-C'd run leaves nothing behind
)";

const char* kGuardUsage = R"(usage: cdc-harness guard --run-dir DIR --guard-pid PID

Waits in the background until process PID exits, then stops the stack in DIR (as `down`
would). Ends by itself when the stack is stopped some other way. Started by
`up --detach --guard-pid`; logs to DIR/logs/guard.log.
)";

const char* kDownUsage = R"(usage: cdc-harness down [--run-dir DIR] [--guard-pid PID]

Deletes the connectors (and their replication slots), stops Connect, Kafka and Postgres,
and removes their data. Logs stay in DIR/logs. Safe to run when nothing runs.

  --guard-pid PID   only stop a stack brought up for process PID ("parent": the caller);
                    leave one that a live guard keeps for another test run (ctest uses this)
)";

const char* kStatusUsage = R"(usage: cdc-harness status [--run-dir DIR]

Shows each component of the stack in DIR and whether it runs. Exit code 0 when all run.
)";

const char* kTailUsage =
    R"(usage: cdc-harness tail [--run-dir DIR] [--topic TOPIC] [--bootstrap HOST:PORT] [--from earliest|latest]

Prints each change on the change topic as one line: time, op, table, key, columns.
The topic and brokers come from --topic/--bootstrap, else $KAFKA_CDC_TOPIC and
$KAFKA_CDC_BOOTSTRAP_SERVERS, else the stack in the run directory. Ctrl-C stops.
)";

struct Options {
  fs::path run_dir;
  fs::path connector_file = default_connector_file();
  bool tail = false;
  bool detach = false;
  std::string topic;
  std::string bootstrap;
  StartAt from = StartAt::Earliest;
  int guard_pid = 0;
};

fs::path default_run_dir() {
  if (const char* dir = std::getenv("CDC_HARNESS_RUN_DIR"); dir != nullptr && *dir != '\0')
    return dir;
  return fs::path(CDC_BUILD_DIR) / "run" / "cli";
}

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

Options parse_options(const std::string& command, const std::vector<std::string>& args,
                      const char* usage) {
  Options options;
  options.run_dir = default_run_dir();
  auto value_of = [&](size_t& i) -> std::string {
    if (i + 1 >= args.size())
      throw HarnessError(args[i] + " needs a value: see `cdc-harness " + command + " --help`");
    return args[++i];
  };
  const std::map<std::string, std::vector<std::string>> allowed = {
      {"up", {"--run-dir", "--connector", "--tail", "--detach", "--guard-pid"}},
      {"guard", {"--run-dir", "--guard-pid"}},
      {"down", {"--run-dir", "--guard-pid"}},
      {"status", {"--run-dir"}},
      {"tail", {"--run-dir", "--topic", "--bootstrap", "--from"}},
  };
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      std::cout << usage;
      std::exit(0);
    }
    const auto& flags = allowed.at(command);
    if (std::find(flags.begin(), flags.end(), arg) == flags.end()) {
      throw HarnessError("unknown option '" + arg + "' for " + command + ": see `cdc-harness " +
                         command + " --help`");
    }
    if (arg == "--run-dir") options.run_dir = value_of(i);
    if (arg == "--connector") options.connector_file = value_of(i);
    if (arg == "--tail") options.tail = true;
    if (arg == "--detach") options.detach = true;
    if (arg == "--guard-pid") {
      const std::string pid = value_of(i);
      options.guard_pid = pid == "parent" ? static_cast<int>(::getppid()) : std::atoi(pid.c_str());
      if (options.guard_pid <= 0)
        throw HarnessError("--guard-pid needs a process id, not '" + pid + "'");
    }
    if (arg == "--topic") options.topic = value_of(i);
    if (arg == "--bootstrap") options.bootstrap = value_of(i);
    if (arg == "--from") {
      const std::string from = value_of(i);
      if (from != "earliest" && from != "latest") {
        throw HarnessError("--from must be earliest or latest, not '" + from + "'");
      }
      options.from = from == "earliest" ? StartAt::Earliest : StartAt::Latest;
    }
  }
  if (options.tail && options.detach)
    throw HarnessError("--tail and --detach exclude each other: pick one");
  if (command == "up" && options.guard_pid && !options.detach) {
    throw HarnessError("--guard-pid only makes sense with --detach");
  }
  if (command == "guard" && !options.guard_pid) throw HarnessError("guard needs --guard-pid PID");
  options.run_dir = fs::absolute(options.run_dir);
  return options;
}

// The foreground `up` that owns a run directory, so a second `up` does not tear it down.
fs::path owner_file(const fs::path& run_dir) {
  return run_dir / "owner.pid";
}

// The pid in `file`, if that process still runs and its command line has `marker`.
std::optional<int> live_pid_in(const fs::path& file, const std::string& marker) {
  std::ifstream in(file);
  int pid = 0;
  if (!(in >> pid) || pid <= 0 || pid == ::getpid() || !is_alive(pid, marker)) return std::nullopt;
  return pid;
}

std::optional<int> live_owner(const fs::path& run_dir) {
  return live_pid_in(owner_file(run_dir), "cdc-harness");
}

fs::path guard_file(const fs::path& run_dir) {
  return run_dir / "guard.pid";
}

// Connectors first (they hold replication slots), then the processes.
void tear_down(const fs::path& run_dir, const Progress& progress) {
  clear_interrupt();
  std::ifstream guard_in(guard_file(run_dir));
  int guard = 0;
  if (guard_in >> guard && guard != ::getpid())
    stop_process(guard, run_dir.string(), std::chrono::seconds(5));
  fs::remove(guard_file(run_dir));
  auto backend = make_stack_backend("native", run_dir);
  if (fs::exists(run_dir / "endpoints.json")) {
    try {
      remove_all_connectors(load_endpoints(run_dir), progress);
    } catch (const std::exception& e) {
      progress.stage(
          "connector",
          std::string("could not delete connectors (the stack goes anyway): ") + e.what());
    }
  }
  backend->down(progress);
  fs::remove(owner_file(run_dir));
}

int tail_topic(TopicObserver& observer) {
  std::cerr << "tailing " << observer.topic() << " (Ctrl-C stops)\n";
  std::string told;
  while (!interrupted()) {
    try {
      if (auto event = observer.poll(std::chrono::milliseconds(200))) {
        std::cout << change_line(*event) << std::endl;
      }
      if (observer.last_trouble() != told) {
        told = observer.last_trouble();
        if (!told.empty()) std::cerr << "(kafka: " << told << " - still trying)\n";
      }
    } catch (const DecodeError& e) {
      std::cout << "(undecodable record) " << e.what() << std::endl;
    }
  }
  return 0;
}

void print_endpoints(const StackEndpoints& endpoints, const ConnectorConfig& connector,
                     const fs::path& run_dir) {
  const fs::path pgpass = run_dir / "secrets" / "pgpass";
  write_file(pgpass,
             endpoints.app.host + ":" + std::to_string(endpoints.app.port) + ":" +
                 endpoints.app.dbname + ":" + endpoints.app.user + ":" + endpoints.app.password +
                 "\n",
             fs::perms::owner_read | fs::perms::owner_write);
  std::cout << "postgres   " << endpoints.app.describe() << "   (debezium connects as "
            << endpoints.debezium.user << ")\n"
            << "           PGPASSFILE=" << pgpass.string() << " psql \"host=" << endpoints.app.host
            << " port=" << endpoints.app.port << " dbname=" << endpoints.app.dbname
            << " user=" << endpoints.app.user << "\"\n"
            << "kafka      " << endpoints.kafka_bootstrap << "\n"
            << "connect    " << endpoints.connect_url << "   connector " << connector.name << "\n"
            << "topic      " << connector.change_topic() << "\n"
            << "logs       " << (run_dir / "logs").string() << "\n"
            << "tail it    KAFKA_CDC_BOOTSTRAP_SERVERS=" << endpoints.kafka_bootstrap
            << " KAFKA_CDC_TOPIC=" << connector.change_topic() << " cdc-harness tail\n"
            << std::flush;
}

void start_guard(const Options& options) {
  const int pid = spawn_server(ProcessSpec{"guard",
                                           fs::read_symlink("/proc/self/exe"),
                                           {"guard", "--run-dir", options.run_dir.string(),
                                            "--guard-pid", std::to_string(options.guard_pid)},
                                           options.run_dir / "logs" / "guard.log",
                                           options.run_dir,
                                           std::nullopt});
  write_file(guard_file(options.run_dir),
             std::to_string(pid) + " " + std::to_string(options.guard_pid) + "\n");
}

bool process_exists(int pid) {
  return ::kill(pid, 0) == 0 || errno == EPERM;
}

int cmd_guard(const Options& options) {
  auto backend = make_stack_backend("native", options.run_dir);
  // Polls: the guarded process is not our child, so there is nothing to wait on.
  while (backend->has_leftovers() && process_exists(options.guard_pid) && !interrupted()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  // Stopped by `down` (which signals the guard first, then stops the stack itself).
  if (!backend->has_leftovers() || interrupted()) return 0;
  Progress progress;
  progress.stage("guard",
                 "process " + std::to_string(options.guard_pid) + " is gone: stopping the stack");
  tear_down(options.run_dir, progress);
  return 0;
}

int cmd_up(const Options& options) {
  Progress progress;
  // Read the connector config before anything starts: a bad file must not leave a stack.
  const ConnectorConfig connector = load_connector_config(options.connector_file);
  if (auto owner = live_owner(options.run_dir)) {
    throw HarnessError("a stack is already up in " + options.run_dir.string() +
                       " (cdc-harness pid " + std::to_string(*owner) +
                       "): stop it there with Ctrl-C, or use another --run-dir");
  }
  if (auto guard = live_pid_in(guard_file(options.run_dir), options.run_dir.string())) {
    throw HarnessError("the stack in " + options.run_dir.string() +
                       " is in use by a running test run (guard pid " + std::to_string(*guard) +
                       "): wait for it, or stop it with `cdc-harness down --run-dir " +
                       options.run_dir.string() + "`");
  }
  auto backend = make_stack_backend("native", options.run_dir);
  if (backend->has_leftovers()) {
    progress.stage("stack", "cleaning up what an earlier run left in " + options.run_dir.string());
    tear_down(options.run_dir, progress);
  }
  fs::create_directories(options.run_dir);
  // Claims the run directory while this process brings the stack up (and, in the
  // foreground, while it runs), so a second `up` cannot tear it down under us.
  write_file(owner_file(options.run_dir), std::to_string(::getpid()) + "\n");

  ConnectorConfig registered;
  StackEndpoints endpoints;
  try {
    endpoints = backend->up(progress);
    registered = resolve_placeholders(connector, endpoints);
    progress.stage("connector",
                   "registering " + registered.name + " from " + options.connector_file.string());
    start_connector(endpoints, registered, progress);
    save_registered_connector(options.run_dir, registered);
  } catch (...) {
    tear_down(options.run_dir, Progress(true));  // idempotent: the backend may have done it already
    throw;
  }
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.1f", progress.elapsed_seconds());
  std::cout << "pipeline streaming: bring-up took " << seconds
            << " s (start -> connector streaming)\n";
  print_endpoints(endpoints, registered, options.run_dir);
  if (options.detach) {
    if (options.guard_pid) start_guard(options);
    fs::remove(owner_file(options.run_dir));  // handed over: `down` or the guard owns it now
    return 0;
  }

  int exit_code = 0;
  try {
    if (options.tail) {
      TopicObserver observer(endpoints.kafka_bootstrap, registered.change_topic(),
                             StartAt::Earliest);
      tail_topic(observer);
    } else {
      std::cerr << "up; Ctrl-C stops the stack\n";
      while (!interrupted()) {
        for (const auto& component : backend->status()) {
          if (!component.running)
            throw HarnessError(component.name + " stopped unexpectedly; see " +
                               (options.run_dir / "logs").string());
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(500));  // idle until Ctrl-C, watching
      }
    }
  } catch (const HarnessError& e) {
    std::cerr << "error: " << e.what() << "\n";
    exit_code = 1;
  }
  Progress teardown;
  teardown.stage("stack", "stopping");
  tear_down(options.run_dir, teardown);
  teardown.stage("stack", "stopped");
  return exit_code;
}

// The process a live guard keeps the stack for, if a guard runs.
std::optional<int> guarded_process(const fs::path& run_dir) {
  if (!live_pid_in(guard_file(run_dir), run_dir.string())) return std::nullopt;
  std::ifstream in(guard_file(run_dir));
  int guard = 0, guarded = 0;
  in >> guard >> guarded;
  return guarded;
}

int cmd_down(const Options& options) {
  Progress progress;
  if (options.guard_pid) {
    const auto guarded = guarded_process(options.run_dir);
    const auto owner = live_owner(options.run_dir);
    if ((guarded && *guarded != options.guard_pid) || (!guarded && owner)) {
      std::cout << "the stack in " << options.run_dir.string() << " belongs to another run (pid "
                << (guarded ? *guarded : *owner) << "): leaving it\n";
      return 0;
    }
  }
  auto backend = make_stack_backend("native", options.run_dir);
  if (!backend->has_leftovers()) {
    std::cout << "nothing running in " << options.run_dir.string() << "\n";
    return 0;
  }
  if (auto owner = live_owner(options.run_dir)) {
    progress.stage("stack",
                   "stopping the stack of cdc-harness up (pid " + std::to_string(*owner) + ")");
  }
  tear_down(options.run_dir, progress);
  progress.stage("stack", "stopped; logs kept in " + (options.run_dir / "logs").string());
  return 0;
}

int cmd_status(const Options& options) {
  auto backend = make_stack_backend("native", options.run_dir);
  if (!backend->has_leftovers()) {
    std::cout << "nothing running in " << options.run_dir.string() << "\n";
    return 1;
  }
  bool all = true;
  for (const auto& component : backend->status()) {
    std::printf("%-9s %-8s %s\n", component.name.c_str(), component.running ? "running" : "DOWN",
                component.detail.c_str());
    all = all && component.running;
  }
  if (fs::exists(options.run_dir / "connector.json")) {
    const auto connector = load_registered_connector(options.run_dir);
    std::printf("%-9s %-8s %s -> topic %s\n", "connector", "", connector.name.c_str(),
                connector.change_topic().c_str());
  }
  return all ? 0 : 1;
}

int cmd_tail(const Options& options) {
  std::string topic = !options.topic.empty() ? options.topic : env("KAFKA_CDC_TOPIC");
  std::string bootstrap =
      !options.bootstrap.empty() ? options.bootstrap : env("KAFKA_CDC_BOOTSTRAP_SERVERS");
  if (topic.empty()) topic = load_registered_connector(options.run_dir).change_topic();
  if (bootstrap.empty()) bootstrap = load_endpoints(options.run_dir).kafka_bootstrap;
  TopicObserver observer(bootstrap, topic, options.from);
  return tail_topic(observer);
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::cout << kUsage;
    return args.empty() ? 2 : 0;
  }
  const std::string command = args[0];
  args.erase(args.begin());
  install_interrupt_handlers();
  try {
    if (command == "up") return cmd_up(parse_options(command, args, kUpUsage));
    if (command == "down") return cmd_down(parse_options(command, args, kDownUsage));
    if (command == "status") return cmd_status(parse_options(command, args, kStatusUsage));
    if (command == "tail") return cmd_tail(parse_options(command, args, kTailUsage));
    if (command == "guard") return cmd_guard(parse_options(command, args, kGuardUsage));
    std::cerr << "error: unknown command '" << command
              << "': the commands are up, down, status, tail (see --help)\n";
    return 2;
  } catch (const Interrupted&) {
    std::cerr << "interrupted: everything started was stopped\n";
    return 130;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
}
