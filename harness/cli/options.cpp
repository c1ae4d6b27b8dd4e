#include "harness/cli/options.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <map>
#include <sstream>

#include "harness/common/errors.hpp"
#include "harness/connector/connector_config.hpp"

namespace cdc::cli {
namespace fs = std::filesystem;

namespace {

int positive_int(const std::string& flag, const std::string& text) {
  char* end = nullptr;
  const long value = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || value <= 0 || value > 1000000) {
    throw HarnessError(flag + " needs a positive whole number, not '" + text + "'");
  }
  return static_cast<int>(value);
}

fs::path default_run_dir() {
  if (const char* dir = std::getenv("CDC_HARNESS_RUN_DIR"); dir != nullptr && *dir != '\0')
    return dir;
  return fs::path(CDC_BUILD_DIR) / "run" / "cli";
}

}  // namespace

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
      {"up",
       {"--run-dir", "--connector", "--tail", "--detach", "--guard-pid", "--stack",
        "--stack-config"}},
      {"guard", {"--run-dir", "--guard-pid"}},
      {"down", {"--run-dir", "--guard-pid"}},
      {"status", {"--run-dir"}},
      {"inventory", {"--run-dir"}},
      {"tail", {"--run-dir", "--topic", "--bootstrap", "--from"}},
      {"report",
       {"--run-dir", "--connector", "--duration", "--rate", "--mix", "--sessions", "--tx-size",
        "--profiles", "--out", "--stack", "--stack-config"}},
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
    if (arg == "--stack") options.stack = value_of(i);
    if (arg == "--stack-config") options.stack_config = value_of(i);
    if (arg == "--duration") options.duration_s = positive_int(arg, value_of(i));
    if (arg == "--sessions") options.sessions = positive_int(arg, value_of(i));
    if (arg == "--mix") options.mix = value_of(i);
    if (arg == "--tx-size") options.transaction_size = positive_int(arg, value_of(i));
    if (arg == "--profiles") options.profiles = value_of(i);
    if (arg == "--out") options.out = value_of(i);
    if (arg == "--rate") {
      options.rates.clear();
      std::stringstream list(value_of(i));
      for (std::string item; std::getline(list, item, ',');)
        options.rates.push_back(positive_int(arg, item));
    }
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

}  // namespace cdc::cli
