// cdc-harness: bring a Postgres -> Debezium -> Kafka pipeline up, watch it, take it down.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

#include "harness/cli/commands.hpp"
#include "harness/cli/options.hpp"
#include "harness/cli/usage.hpp"
#include "harness/common/errors.hpp"
#include "harness/common/interrupt.hpp"

using namespace cdc;
using namespace cdc::cli;

namespace {

// Every command in one table: name, --help text, flags, handler.
const std::vector<Command>& command_table() {
  static const std::vector<Command> table = {
      {"up", "bring the stack up, register the connector, print endpoints; stay until Ctrl-C",
       kUpUsage,
       [](CLI::App& app, Options& o) {
         flag_run_dir(app, o);
         flag_connector(app, o);
         flag_up(app, o);
         flag_guard_pid(app, o);
         flag_stack(app, o);
       },
       cmd_up},
      {"down", "stop everything an earlier `up` (or a crashed run) left in the run directory",
       kDownUsage,
       [](CLI::App& app, Options& o) {
         flag_run_dir(app, o);
         flag_guard_pid(app, o);
       },
       cmd_down},
      {"status", "show what runs in the run directory", kStatusUsage, flag_run_dir, cmd_status},
      {"check", "send one change through the connector and say whether it comes as expected",
       kCheckUsage, flag_run_dir, cmd_check},
      {"tail", "print each change on the change topic as one readable line", kTailUsage,
       [](CLI::App& app, Options& o) {
         flag_run_dir(app, o);
         flag_tail(app, o);
       },
       cmd_tail},
      {"report", "run a load against the pipeline and write a latency and correctness report",
       kReportUsage,
       [](CLI::App& app, Options& o) {
         flag_run_dir(app, o);
         flag_connector(app, o);
         flag_report(app, o);
         flag_stack(app, o);
       },
       cmd_report},
      {"chaos", "inject faults drawn from a seed while a load runs; report what survived",
       kChaosUsage,
       [](CLI::App& app, Options& o) {
         flag_run_dir(app, o);
         flag_connector(app, o);
         flag_report(app, o);
         flag_chaos(app, o);
         flag_stack(app, o);
       },
       cmd_chaos},
      {"bench", "measure the harness against kcat and pgbench, and the stack's bring-up",
       kBenchUsage,
       [](CLI::App& app, Options& o) {
         flag_run_dir(app, o);
         flag_connector(app, o);
         flag_bench(app, o);
       },
       cmd_bench},
      {"run", "run scenario files (*.cdc): steps, and the change events they must produce",
       kRunUsage,
       [](CLI::App& app, Options& o) {
         flag_run_dir(app, o);
         flag_connector(app, o);
         flag_stack(app, o);
         flag_run(app, o);
       },
       cmd_run},
      {"explore", "generate cases from a seed, run them, shrink every failure to a scenario file",
       kExploreUsage,
       [](CLI::App& app, Options& o) {
         flag_run_dir(app, o);
         flag_connector(app, o);
         flag_stack(app, o);
         flag_explore(app, o);
       },
       cmd_explore},
      {"inventory", "print what the stack holds (connectors, slots, topics, tables, rows) as JSON",
       kInventoryUsage, flag_run_dir, cmd_inventory},
      {"guard", "(used by `up --detach --guard-pid`) stop the stack when a process exits",
       kGuardUsage,
       [](CLI::App& app, Options& o) {
         flag_run_dir(app, o);
         flag_guard_pid(app, o);
       },
       cmd_guard},
  };
  return table;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::cout << kUsage;
    for (const auto& c : command_table()) {
      std::string name = c.name;
      name.resize(std::max<size_t>(name.size() + 1, 10), ' ');
      std::cout << "  " << name << c.summary << "\n";
    }
    std::cout << kUsageEnd;
    return args.empty() ? 2 : 0;
  }
  const std::string name = args[0];
  args.erase(args.begin());
  const Command* command = nullptr;
  for (const auto& c : command_table()) {
    if (name == c.name) command = &c;
  }
  if (command == nullptr) {
    std::string names;
    for (const auto& c : command_table())
      names += (names.empty() ? "" : ", ") + std::string(c.name);
    std::cerr << "error: unknown command '" << name << "': the commands are " << names
              << " (see --help)\n";
    return 2;
  }
  install_interrupt_handlers();
  try {
    return command->run(parse_options(*command, args));
  } catch (const Interrupted&) {
    std::cerr << "interrupted: everything started was stopped\n";
    return 130;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
}
