#include "harness/cli/options.hpp"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>
#include <sstream>

#include "harness/common/errors.hpp"
#include "harness/common/text.hpp"
#include "harness/explore/generator.hpp"
#include "harness/faults/fault_catalogue.hpp"
#include "harness/scenario_file/step_handlers.hpp"

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
  const std::string dir = env("CDC_HARNESS_RUN_DIR");
  return dir.empty() ? fs::path(CDC_BUILD_DIR) / "run" / "cli" : fs::path(dir);
}

// A flag whose value is checked (and stored) by `store`, which throws a HarnessError naming
// the flag and the fix.
void value_flag(CLI::App& app, const std::string& flag,
                std::function<void(const std::string&)> store) {
  app.add_option_function<std::string>(flag, std::move(store));
}

}  // namespace

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

void flag_run_dir(CLI::App& app, Options& o) {
  value_flag(app, "--run-dir", [&o](const std::string& v) { o.run_dir = v; });
}
void flag_connector(CLI::App& app, Options& o) {
  value_flag(app, "--connector", [&o](const std::string& v) { o.connector_file = v; });
}
void flag_stack(CLI::App& app, Options& o) {
  value_flag(app, "--stack", [&o](const std::string& v) { o.stack = v; });
  value_flag(app, "--stack-config", [&o](const std::string& v) { o.stack_config = v; });
  value_flag(app, "--brokers", [&o](const std::string& v) { o.brokers = v; });
  value_flag(app, "--workers", [&o](const std::string& v) { o.workers = v; });
  value_flag(app, "--versions", [&o](const std::string& v) { o.versions = v; });
  app.add_flag_callback("--connect-defaults", [&o] { o.connect_defaults = true; });
  value_flag(app, "--converter", [&o](const std::string& v) { o.converter = v; });
}
void flag_guard_pid(CLI::App& app, Options& o) {
  value_flag(app, "--guard-pid", [&o](const std::string& pid) {
    o.guard_pid = pid == "parent" ? static_cast<int>(::getppid()) : std::atoi(pid.c_str());
    if (o.guard_pid <= 0) throw HarnessError("--guard-pid needs a process id, not '" + pid + "'");
  });
}
void flag_up(CLI::App& app, Options& o) {
  app.add_flag_callback("--tail", [&o] { o.tail = true; });
  app.add_flag_callback("--detach", [&o] { o.detach = true; });
  app.add_flag_callback("--no-connector", [&o] { o.no_connector = true; });
}
void flag_tail(CLI::App& app, Options& o) {
  value_flag(app, "--topic", [&o](const std::string& v) { o.topic = v; });
  value_flag(app, "--bootstrap", [&o](const std::string& v) { o.bootstrap = v; });
  value_flag(app, "--from", [&o](const std::string& from) {
    if (from != "earliest" && from != "latest")
      throw HarnessError("--from must be earliest or latest, not '" + from + "'");
    o.from = from == "earliest" ? StartAt::Earliest : StartAt::Latest;
  });
}
void flag_report(CLI::App& app, Options& o) {
  value_flag(app, "--duration",
             [&o](const std::string& v) { o.duration_s = positive_int("--duration", v); });
  value_flag(app, "--sessions",
             [&o](const std::string& v) { o.sessions = positive_int("--sessions", v); });
  value_flag(app, "--tx-size",
             [&o](const std::string& v) { o.transaction_size = positive_int("--tx-size", v); });
  value_flag(app, "--mix", [&o](const std::string& v) { o.mix = v; });
  value_flag(app, "--profiles", [&o](const std::string& v) { o.profiles = v; });
  value_flag(app, "--out", [&o](const std::string& v) { o.out = v; });
  value_flag(app, "--rate", [&o](const std::string& v) {
    o.rates.clear();
    o.rates_given = true;
    std::stringstream list(v);
    for (std::string item; std::getline(list, item, ',');)
      o.rates.push_back(positive_int("--rate", item));
  });
}

void flag_bench(CLI::App& app, Options& o) {
  value_flag(app, "--events",
             [&o](const std::string& v) { o.events = positive_int("--events", v); });
  value_flag(app, "--duration",
             [&o](const std::string& v) { o.duration_s = positive_int("--duration", v); });
  value_flag(app, "--sessions", [&o](const std::string& v) {
    o.bench_sessions.clear();
    std::stringstream list(v);
    for (std::string item; std::getline(list, item, ',');)
      o.bench_sessions.push_back(positive_int("--sessions", item));
  });
  value_flag(app, "--out", [&o](const std::string& v) { o.out = v; });
}

void flag_run(CLI::App& app, Options& o) {
  app.add_flag("--record", o.record);
  app.add_flag("--keep-topics", o.keep_topics);
  app.add_option_function<std::vector<std::string>>(
      "files", [&o](const std::vector<std::string>& files) {
        for (const auto& f : files) {
          if (!fs::is_regular_file(f)) {
            throw HarnessError("scenario file " + f + " does not exist: check the path");
          }
          o.scenario_files.emplace_back(f);
        }
      });
}

namespace {

void flag_seed(CLI::App& app, Options& o) {
  value_flag(app, "--seed", [&o](const std::string& v) {
    char* end = nullptr;
    o.seed = std::strtoull(v.c_str(), &end, 10);
    if (v.empty() || *end != '\0')
      throw HarnessError("--seed needs a whole number, not '" + v + "'");
  });
}

}  // namespace

void flag_chaos(CLI::App& app, Options& o) {
  value_flag(app, "--faults", [&o](const std::string& v) { o.faults = v; });
  flag_seed(app, o);
  value_flag(app, "--interval",
             [&o](const std::string& v) { o.interval_s = positive_int("--interval", v); });
  value_flag(app, "--liveness",
             [&o](const std::string& v) { o.liveness_s = positive_int("--liveness", v); });
}

namespace {

// "90", "90s", "5m": seconds.
int duration_seconds(const std::string& flag, const std::string& v) {
  const bool minutes = !v.empty() && v.back() == 'm';
  const std::string number =
      (!v.empty() && (v.back() == 'm' || v.back() == 's')) ? v.substr(0, v.size() - 1) : v;
  return positive_int(flag, number) * (minutes ? 60 : 1);
}

}  // namespace

void flag_explore(CLI::App& app, Options& o) {
  flag_seed(app, o);
  value_flag(app, "--budget",
             [&o](const std::string& v) { o.budget_s = duration_seconds("--budget", v); });
  value_flag(app, "--shrink-budget", [&o](const std::string& v) {
    o.shrink_budget_s = duration_seconds("--shrink-budget", v);
  });
  value_flag(app, "--cases", [&o](const std::string& v) { o.cases = positive_int("--cases", v); });
  app.add_flag("--generate-only", o.generate_only);
  value_flag(app, "--faults", [&o](const std::string& v) { o.explore_faults = v; });
  value_flag(app, "--focus", [&o](const std::string& v) {
    if (explore::focus_named(v) == nullptr) {
      std::string names;
      for (const auto& focus : explore::focuses())
        names += (names.empty() ? "" : ", ") + focus.name;
      throw HarnessError("--focus: '" + v + "' is no focus; the ones there are: " + names);
    }
    o.explore_focus = v;
  });
  value_flag(app, "--out", [&o](const std::string& v) { o.out = v; });
}

namespace {

constexpr size_t kColumn = 20;  // where the usage texts' descriptions start

// A usage text with {faults} replaced by the catalogue's names, wrapped under the description,
// and {steps} by the scenario files' steps.
std::string filled_usage(std::string usage) {
  if (const auto steps = usage.find("{steps}"); steps != std::string::npos)
    usage.replace(steps, 7, steps_help());
  if (const auto at = usage.find("{focuses}"); at != std::string::npos) {
    std::string lines;
    for (const auto& focus : explore::focuses()) {
      // A flag too long for its column has its description on the next line.
      std::string flag = "  --focus " + focus.name;
      flag += flag.size() < kColumn ? std::string(kColumn - flag.size(), ' ')
                                    : "\n" + std::string(kColumn, ' ');
      std::vector<std::string> words;
      std::istringstream what("every case " + focus.what);
      for (std::string word; what >> word;) words.push_back(word);
      lines += flag + wrapped(words, kColumn, kColumn, 92) + "\n";
    }
    usage.replace(at, 10, lines);
  }
  const auto at = usage.find("{faults}");
  if (at == std::string::npos) return usage;
  auto names = fault_names();
  for (size_t i = 0; i + 1 < names.size(); ++i) names[i] += ",";
  return usage.substr(0, at) + wrapped(names, at - usage.rfind('\n', at) - 1, kColumn, 92) +
         usage.substr(at + 8);
}

}  // namespace

Options parse_options(const Command& command, const std::vector<std::string>& args) {
  Options options;
  options.run_dir = default_run_dir();
  CLI::App app(command.name);
  app.set_help_flag();  // --help prints the command's own usage text, below
  bool help = false;
  app.add_flag("-h,--help", help);
  app.allow_extras();  // what no flag takes is named below, in the harness's words
  command.declare(app, options);
  std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 parses from the back
  const std::string see = "see `cdc-harness " + std::string(command.name) + " --help`";
  try {
    app.parse(reversed);
  } catch (const CLI::ArgumentMismatch& e) {
    const std::string what = e.what();
    throw HarnessError(what.substr(0, what.find(':')) + " needs a value: " + see);
  } catch (const CLI::ParseError& e) {
    throw HarnessError(std::string(e.what()) + ": " + see);
  }
  if (help) {
    std::cout << filled_usage(command.usage);
    std::exit(0);
  }
  if (!app.remaining().empty()) {
    throw HarnessError("unknown option '" + app.remaining().front() + "' for " + command.name +
                       ": " + see);
  }
  if (options.tail && options.detach)
    throw HarnessError("--tail and --detach exclude each other: pick one");
  if (std::string(command.name) == "up" && options.guard_pid && !options.detach) {
    throw HarnessError("--guard-pid only makes sense with --detach");
  }
  if (std::string(command.name) == "guard" && !options.guard_pid)
    throw HarnessError("guard needs --guard-pid PID");
  options.run_dir = fs::absolute(options.run_dir);
  return options;
}

}  // namespace cdc::cli
