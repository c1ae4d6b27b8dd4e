#include "harness/cli/tear_down.hpp"

#include <unistd.h>

#include <fstream>
#include <optional>

#include "harness/cleanup/run_objects.hpp"
#include "harness/cli/run_dir_claims.hpp"
#include "harness/common/interrupt.hpp"
#include "harness/common/process.hpp"
#include "harness/common/run_dir.hpp"
#include "harness/connector/connector_lifecycle.hpp"
#include "harness/stack/backend.hpp"

namespace cdc::cli {
namespace fs = std::filesystem;

namespace {

// What could not be removed, if anything.
std::optional<std::string> remove_pipeline_objects(const StackChoice& choice,
                                                   const fs::path& run_dir,
                                                   const Progress& progress) {
  if (!fs::exists(RunDir(run_dir).endpoints())) return std::nullopt;
  try {
    switch (info(choice.kind).at_down) {
      case DownCleanup::RunObjects:
        remove_run_objects(load_endpoints(run_dir), choice.run_id, progress);
        break;
      case DownCleanup::AllConnectors:
        remove_all_connectors(load_endpoints(run_dir), progress);
        break;
      case DownCleanup::Nothing:
        break;
    }
  } catch (const std::exception& e) {
    return e.what();
  }
  return std::nullopt;
}

}  // namespace

bool tear_down(const fs::path& run_dir, const Progress& progress) {
  clear_interrupt();
  std::ifstream guard_in(guard_file(run_dir));
  int guard = 0;
  if (guard_in >> guard && guard != ::getpid())
    stop_process(guard, run_dir.string(), std::chrono::seconds(5));
  fs::remove(guard_file(run_dir));
  const StackChoice choice = load_stack_choice(run_dir).value_or(StackChoice{});
  if (const auto problem = remove_pipeline_objects(choice, run_dir, progress)) {
    if (choice.shared()) {
      progress.stage("cleanup", *problem);
      progress.stage("cleanup", "the external stack still holds objects of run " + choice.run_id +
                                    ": run `cdc-harness down --run-dir " + run_dir.string() +
                                    "` again once it answers");
      fs::remove(owner_file(run_dir));
      return false;
    }
    progress.stage("connector", "could not delete connectors (the stack goes anyway): " + *problem);
  }
  make_stack_backend(choice, run_dir)->down(progress);
  forget_stack_choice(run_dir);
  fs::remove(owner_file(run_dir));
  return true;
}

HarnessError earlier_run_not_cleaned(const fs::path& run_dir) {
  return HarnessError("an earlier run's objects are still on the external stack recorded in " +
                      run_dir.string() + ": remove them with `cdc-harness down --run-dir " +
                      run_dir.string() + "` once that stack answers, or use another --run-dir");
}

}  // namespace cdc::cli
