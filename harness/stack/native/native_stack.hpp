#pragma once
#include <filesystem>
#include <memory>

#include "harness/stack/backend.hpp"

namespace cdc::native {

// Postgres, a KRaft Kafka node and a Connect worker as local processes on 127.0.0.1,
// with data and logs under the run directory.
std::unique_ptr<StackBackend> make_native_backend(const std::filesystem::path& run_dir);

}  // namespace cdc::native
