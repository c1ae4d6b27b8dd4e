#pragma once
#include <filesystem>
#include <memory>

#include "harness/stack/backend.hpp"
#include "harness/stack/stack_choice.hpp"

namespace cdc::external {

// A stack someone else runs (a staging cluster, a multi-broker Kafka): nothing to start or
// stop. `up` checks that every endpoint answers as the pipeline needs and records them;
// `down` forgets them. What the run created there is removed by name (run id) before.
std::unique_ptr<StackBackend> make_external_backend(const std::filesystem::path& run_dir,
                                                    const StackChoice& choice);

}  // namespace cdc::external
