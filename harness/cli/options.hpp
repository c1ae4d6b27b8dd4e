#pragma once
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "harness/connector/connector_config.hpp"
#include "harness/observer/topic_observer.hpp"

namespace CLI {
class App;
}

namespace cdc::cli {

// Every command's options; each command accepts only its own (see usage.hpp).
struct Options {
  std::filesystem::path run_dir{};
  std::filesystem::path connector_file = default_connector_file();
  bool tail = false;
  bool detach = false;
  bool no_connector = false;  // up: register no connector (suites that register their own)
  std::string topic{};
  std::string bootstrap{};
  StartAt from = StartAt::Earliest;
  int guard_pid = 0;
  // up, report: which stack (--stack, else $CDC_STACK, else native) and its config file
  std::string stack{};
  std::filesystem::path stack_config{};
  // up, report, chaos: how many brokers and Connect workers ("": $CDC_BROKERS/$CDC_WORKERS, 1)
  std::string brokers{}, workers{};
  // up, report, chaos: the version set ("": $CDC_VERSIONS, else the default)
  std::string versions{};
  bool connect_defaults = false;
  std::string converter{};  // "": $CDC_CONVERTER, else json
  // report
  std::vector<double> rates = {50, 200};
  bool rates_given = false;
  int duration_s = 0;  // 0: the command's own default (report 10 s, chaos 60 s)
  int sessions = 2;
  int transaction_size = 1;
  std::string mix = "60/30/10";
  std::string profiles = "debezium-defaults,low-latency";
  std::filesystem::path out{};
  // bench
  int events = 300000;
  std::vector<int> bench_sessions{4, 16, 64};
  // chaos
  std::string faults = "all";
  uint64_t seed = 1;
  int interval_s = 10;
  int liveness_s = 0;  // 0: 30 s, scaled like every timeout
  // run
  std::vector<std::filesystem::path> scenario_files{};
  bool record = false;
  // explore
  int budget_s = 300;
  int shrink_budget_s = 120;
  int cases = 0;  // 0: until the budget ends
  bool generate_only = false;
  std::string explore_faults{};
  std::string explore_focus{};  // "" or "bulk"
  bool keep_topics = false;
};

// A command of `cdc-harness`: its name, its --help text, the flags it takes and what runs it.
struct Command {
  const char* name;
  const char* summary;  // its line in `cdc-harness --help`
  const char* usage;
  std::function<void(CLI::App&, Options&)> declare;
  std::function<int(const Options&)> run;
};

// The flags, declared on CLI11's parser; each stores into Options and names what is wrong
// with a bad value (a HarnessError saying the fix).
void flag_run_dir(CLI::App& app, Options& o);
void flag_connector(CLI::App& app, Options& o);
void flag_stack(CLI::App& app, Options& o);  // --stack(-config), --brokers, --workers, --versions
void flag_guard_pid(CLI::App& app, Options& o);
void flag_up(CLI::App& app, Options& o);      // --tail, --detach
void flag_tail(CLI::App& app, Options& o);    // --topic, --bootstrap, --from
void flag_report(CLI::App& app, Options& o);  // load and report settings
void flag_chaos(CLI::App& app, Options& o);
void flag_explore(CLI::App& app, Options& o);  // --seed, --budget, --shrink-budget, --cases, …   //
                                               // --faults, --seed, --interval, --liveness
void flag_bench(CLI::App& app, Options& o);  // --events, --duration, --sessions, --out
void flag_run(CLI::App& app, Options& o);    // FILE…, --record

// Parses `args` for `command`; --help prints its usage and exits 0; anything unknown or
// malformed is a HarnessError naming it.
Options parse_options(const Command& command, const std::vector<std::string>& args);

// An environment variable, or "" when unset.
std::string env(const char* name);

}  // namespace cdc::cli
