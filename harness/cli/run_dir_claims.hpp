#pragma once
#include <filesystem>
#include <optional>

// Who may stop the stack in a run directory. A `cdc-harness up` claims it while it brings
// the stack up (and while it runs in the foreground) in owner.pid; a guard started by
// `up --detach --guard-pid` keeps it for a test run in guard.pid. Each claim counts only
// while its process lives, so a crashed run never blocks the next.
namespace cdc::cli {

std::filesystem::path owner_file(const std::filesystem::path& run_dir);
std::filesystem::path guard_file(
    const std::filesystem::path& run_dir);  // "<guard pid> <guarded pid>"

// The pid in `file`, if that process still runs and its command line has `marker`.
std::optional<int> live_pid_in(const std::filesystem::path& file, const std::string& marker);

// The `cdc-harness up` that claims `run_dir`, if it still runs.
std::optional<int> live_owner(const std::filesystem::path& run_dir);

// The process a live guard keeps the stack for, if a guard runs.
std::optional<int> guarded_process(const std::filesystem::path& run_dir);

}  // namespace cdc::cli
