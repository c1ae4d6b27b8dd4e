#pragma once
#include "harness/cli/options.hpp"

// The commands of `cdc-harness`; each returns the process's exit code.
namespace cdc::cli {

int cmd_up(const Options& options);
int cmd_down(const Options& options);
int cmd_status(const Options& options);
int cmd_check(const Options& options);
int cmd_tail(const Options& options);
int cmd_inventory(const Options& options);
int cmd_guard(const Options& options);
int cmd_report(const Options& options);
int cmd_chaos(const Options& options);
int cmd_bench(const Options& options);
int cmd_run(const Options& options);
int cmd_explore(const Options& options);

}  // namespace cdc::cli
