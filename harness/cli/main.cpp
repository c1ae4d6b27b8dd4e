// cdc-harness: bring a Postgres -> Debezium -> Kafka pipeline up, watch it, take it down.
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
    if (command == "inventory") return cmd_inventory(parse_options(command, args, kInventoryUsage));
    if (command == "guard") return cmd_guard(parse_options(command, args, kGuardUsage));
    if (command == "report") return cmd_report(parse_options(command, args, kReportUsage));
    std::cerr << "error: unknown command '" << command
              << "': the commands are up, down, status, tail, report, inventory (see --help)\n";
    return 2;
  } catch (const Interrupted&) {
    std::cerr << "interrupted: everything started was stopped\n";
    return 130;
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
}
