#pragma once
#include <filesystem>

#include "harness/common/errors.hpp"
#include "harness/common/progress.hpp"

namespace cdc::cli {

// Stops the guard, removes what the run created on the stack (connectors hold replication
// slots, so they go first), then the stack itself: a stack the harness runs goes whole; on
// an external one only the run's own objects go, found by the run id in their names.
// Returns false when an external stack still holds objects of the run: the run directory
// then keeps its record (run id, endpoints), so that `down` can try again.
bool tear_down(const std::filesystem::path& run_dir, const Progress& progress);

// The error for a run directory whose earlier external run could not be cleaned up.
HarnessError earlier_run_not_cleaned(const std::filesystem::path& run_dir);

}  // namespace cdc::cli
