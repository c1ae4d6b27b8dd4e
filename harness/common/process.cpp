#include "harness/common/process.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <boost/process.hpp>
#include <boost/process/extend.hpp>
#include <fstream>
#include <mutex>
#include <thread>

#include "harness/common/errors.hpp"
#include "harness/common/files.hpp"
#include "harness/common/interrupt.hpp"

namespace cdc {
namespace bp = boost::process;
namespace fs = std::filesystem;

namespace {

struct NewSession : bp::extend::handler {
  template <typename Executor>
  void on_exec_setup(Executor&) const {
    ::setsid();
  }
};

std::vector<std::string> full_command(const ProcessSpec& spec, std::string& exe) {
  std::vector<std::string> args;
  if (spec.run_as) {
    exe = "/usr/sbin/runuser";
    args = {"-u", *spec.run_as, "--", spec.exe.string()};
  } else {
    exe = spec.exe.string();
  }
  args.insert(args.end(), spec.args.begin(), spec.args.end());
  return args;
}

bp::environment environment_for(const ProcessSpec& spec) {
  bp::environment env = boost::this_process::environment();
  for (const auto& [name, value] : spec.env) env[name] = value;
  return env;
}

// One process started at a time. Boost.Process creates the pipe that reports a failed exec
// and only then marks it close-on-exec (boost/process/detail/posix/executor.hpp: pipe(), then
// fcntl(FD_CLOEXEC)): a fork in another thread in between (the native stack starts its
// servers in parallel) hands that pipe to a long-lived server, and this start then waits for
// the pipe's end forever (seen: Apicurio's start blocked while Connect held the pipe).
std::mutex& launch_mutex() {
  static std::mutex mutex;
  return mutex;
}

// A server or a logged command: stdout and stderr to spec.log, in a session of its own.
bp::child launch(const ProcessSpec& spec) {
  std::string exe;
  const auto args = full_command(spec, exe);
  fs::create_directories(spec.log.parent_path());
  try {
    const std::lock_guard<std::mutex> one_at_a_time(launch_mutex());
    return bp::child(bp::exe = exe, bp::args = args,
                     bp::std_in<bp::null, (bp::std_out & bp::std_err)> spec.log.string(),
                     bp::start_dir = spec.cwd.string(), environment_for(spec), NewSession{});
  } catch (const std::exception& e) {
    throw HarnessError("cannot start " + spec.name + " (" + exe + "): " + e.what());
  }
}

// Waits until the child exits. Ctrl-C terminates it and throws Interrupted; past `timeout`
// it is terminated and the answer is false. `still_running` hears every 15 s.
bool wait_for_exit(bp::child& child, std::chrono::milliseconds timeout,
                   const std::function<void(std::chrono::seconds)>& still_running) {
  const auto start = std::chrono::steady_clock::now();
  auto next_tick = start + std::chrono::seconds(15);
  while (child.running()) {
    if (interrupted()) {
      child.terminate();
      throw Interrupted();
    }
    const auto now = std::chrono::steady_clock::now();
    if (still_running && now >= next_tick) {
      still_running(std::chrono::duration_cast<std::chrono::seconds>(now - start));
      next_tick += std::chrono::seconds(15);
    }
    if (now > start + timeout) {
      child.terminate();
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

// Reaps the pid if it is our exited child, so a dead server does not linger as a zombie.
void reap(int pid) {
  int status = 0;
  ::waitpid(pid, &status, WNOHANG);
}

}  // namespace

int spawn_server(const ProcessSpec& spec) {
  bp::child child = launch(spec);
  const int pid = child.id();
  child.detach();
  return pid;
}

void run_command(const ProcessSpec& spec, std::chrono::milliseconds timeout) {
  bp::child child = launch(spec);
  if (!wait_for_exit(child, timeout, nullptr)) {
    throw HarnessError(spec.name + " did not finish within " +
                       std::to_string(timeout.count() / 1000) + "s; its log (" + spec.log.string() +
                       ") ends:\n" + tail_of_file(spec.log));
  }
  if (child.exit_code() != 0) {
    throw HarnessError(spec.name + " failed with exit code " + std::to_string(child.exit_code()) +
                       "; its log (" + spec.log.string() + ") ends:\n" + tail_of_file(spec.log));
  }
}

CommandOutput run_captured(const ProcessSpec& spec, std::chrono::milliseconds timeout,
                           const std::function<void(std::chrono::seconds)>& still_running) {
  static std::atomic<int> counter{0};
  const fs::path base = fs::temp_directory_path() / ("cdc-harness-" + std::to_string(::getpid()) +
                                                     "-" + std::to_string(++counter));
  const fs::path out_file = base.string() + ".out";
  const fs::path err_file = base.string() + ".err";
  struct Cleanup {
    fs::path a, b;
    ~Cleanup() {
      std::error_code ec;
      fs::remove(a, ec);
      fs::remove(b, ec);
    }
  } cleanup{out_file, err_file};
  std::string exe;
  const auto args = full_command(spec, exe);
  bp::child child;
  try {
    child = bp::child(
        bp::exe = exe, bp::args = args, bp::std_in<bp::null, bp::std_out> out_file.string(),
        bp::std_err > err_file.string(), bp::start_dir = spec.cwd.string(), environment_for(spec));
  } catch (const std::exception& e) {
    throw HarnessError("cannot start " + spec.name + " (" + exe + "): " + e.what());
  }
  if (!wait_for_exit(child, timeout, still_running)) {
    throw TimeoutError(spec.name + " did not finish within " +
                       std::to_string(timeout.count() / 1000) + "s");
  }
  return CommandOutput{child.exit_code(), read_file(out_file), read_file(err_file)};
}

char process_state(int pid) {
  reap(pid);
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return 0;
  const auto paren = line.rfind(')');
  return paren == std::string::npos || paren + 2 >= line.size() ? 0 : line[paren + 2];
}

bool is_alive(int pid, const std::string& marker) {
  if (pid <= 0) return false;
  reap(pid);
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string stat_line;
  if (!std::getline(stat, stat_line)) return false;
  const auto paren = stat_line.rfind(')');
  if (paren == std::string::npos || paren + 2 >= stat_line.size() || stat_line[paren + 2] == 'Z')
    return false;
  std::ifstream cmdline_file("/proc/" + std::to_string(pid) + "/cmdline", std::ios::binary);
  std::string cmdline((std::istreambuf_iterator<char>(cmdline_file)),
                      std::istreambuf_iterator<char>());
  return cmdline.find(marker) != std::string::npos;
}

bool stop_process(int pid, const std::string& marker, std::chrono::milliseconds grace,
                  const std::function<bool()>& waiting_is_pointless,
                  const std::function<void()>& before_kill) {
  if (!is_alive(pid, marker)) return true;
  ::kill(pid, SIGTERM);
  ::kill(pid, SIGCONT);  // a paused (SIGSTOPped) process handles SIGTERM only once resumed
  const auto deadline = std::chrono::steady_clock::now() + grace;
  bool pointless = false;
  while (std::chrono::steady_clock::now() < deadline) {
    if (!is_alive(pid, marker)) return true;
    if (waiting_is_pointless && waiting_is_pointless()) {
      pointless = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  if (!pointless && before_kill && is_alive(pid, marker)) {
    before_kill();
    if (!is_alive(pid, marker)) return true;  // it got there meanwhile
  }
  ::kill(pid, SIGKILL);
  for (int i = 0; i < 100 && is_alive(pid, marker); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  return false;
}

}  // namespace cdc
