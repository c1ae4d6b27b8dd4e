#include "harness/cli/stack_lease.hpp"

#include <unistd.h>

#include "harness/cli/run_dir_claims.hpp"
#include "harness/cli/tear_down.hpp"
#include "harness/common/files.hpp"
#include "harness/common/run_dir.hpp"
#include "harness/stack/endpoints.hpp"

namespace cdc::cli {
namespace fs = std::filesystem;

bool stack_running(const fs::path& run_dir) {
  auto backend = recorded_stack_backend(run_dir);
  if (!backend->has_leftovers() || !fs::exists(RunDir(run_dir).endpoints())) return false;
  for (const auto& component : backend->status()) {
    if (!component.running) return false;
  }
  return true;
}

namespace {

// Refuses a run directory another live run holds; cleans what a dead one left; claims it.
void claim(const fs::path& run_dir, const Progress& progress) {
  if (auto owner = live_owner(run_dir)) {
    throw HarnessError("a stack is already up in " + run_dir.string() + " (cdc-harness pid " +
                       std::to_string(*owner) +
                       "): stop it there with Ctrl-C, or use another --run-dir");
  }
  if (auto guard = live_pid_in(guard_file(run_dir), run_dir.string())) {
    throw HarnessError("the stack in " + run_dir.string() +
                       " is in use by a running test run (guard pid " + std::to_string(*guard) +
                       "): wait for it, or stop it with `cdc-harness down --run-dir " +
                       run_dir.string() + "`");
  }
  if (recorded_stack_backend(run_dir)->has_leftovers()) {
    progress.stage("stack", "cleaning up what an earlier run left in " + run_dir.string());
    if (!tear_down(run_dir, progress)) throw earlier_run_not_cleaned(run_dir);
  }
  fs::create_directories(run_dir);
  // Claims the run directory while this process holds the stack, so a second run cannot
  // tear it down under it.
  write_file(owner_file(run_dir), std::to_string(::getpid()) + "\n");
}

}  // namespace

StackLease::StackLease(const fs::path& run_dir, const StackChoice& choice, Reuse reuse,
                       const Progress& progress)
    : run_dir_(run_dir), choice_(choice) {
  if (reuse == Reuse::IfRunning && stack_running(run_dir)) {
    reused_ = true;
    choice_ = load_stack_choice(run_dir).value_or(choice);
    backend_ = make_stack_backend(choice_, run_dir);
    endpoints_ = load_endpoints(run_dir);
    progress.stage("stack", "using the stack already running in " + run_dir.string());
    return;
  }
  claim(run_dir, progress);
  held_ = true;
  try {
    // Recorded first: whatever happens next, `down` knows which stack and which run.
    save_stack_choice(run_dir, choice_);
    backend_ = make_stack_backend(choice_, run_dir);
    endpoints_ = backend_->up(progress);
  } catch (...) {
    tear_down(run_dir, Progress(true));  // idempotent: the backend may have done it already
    throw;
  }
}

StackLease::~StackLease() {
  if (!held_) return;
  try {
    tear_down(run_dir_, Progress(true));
  } catch (const std::exception& e) {
    Progress(true).stage("stack", "could not stop everything in " + run_dir_.string() + ": " +
                                      e.what() + "; `cdc-harness down` it");
  }
}

void StackLease::hand_over() {
  held_ = false;
  fs::remove(owner_file(run_dir_));
}

bool StackLease::release(const Progress& progress) {
  if (!held_) return true;
  held_ = false;
  return tear_down(run_dir_, progress);
}

}  // namespace cdc::cli
