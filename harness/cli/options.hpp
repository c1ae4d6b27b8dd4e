#pragma once
#include <filesystem>
#include <string>
#include <vector>

#include "harness/connector/connector_config.hpp"
#include "harness/observer/topic_observer.hpp"

namespace cdc::cli {

// Every command's options; each command accepts only its own (see usage.hpp).
struct Options {
  std::filesystem::path run_dir{};
  std::filesystem::path connector_file = default_connector_file();
  bool tail = false;
  bool detach = false;
  std::string topic{};
  std::string bootstrap{};
  StartAt from = StartAt::Earliest;
  int guard_pid = 0;
  // up, report: which stack (--stack, else $CDC_STACK, else native) and its config file
  std::string stack{};
  std::filesystem::path stack_config{};
  // report
  std::vector<double> rates = {50, 200};
  int duration_s = 10;
  int sessions = 2;
  int transaction_size = 1;
  std::string mix = "60/30/10";
  std::string profiles = "debezium-defaults,low-latency";
  std::filesystem::path out{};
};

// Parses `args` for `command`; --help prints `usage` and exits 0; anything unknown or
// malformed is a HarnessError naming it.
Options parse_options(const std::string& command, const std::vector<std::string>& args,
                      const char* usage);

// An environment variable, or "" when unset.
std::string env(const char* name);

}  // namespace cdc::cli
