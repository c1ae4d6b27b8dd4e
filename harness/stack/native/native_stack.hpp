#pragma once
#include <filesystem>
#include <memory>

#include "harness/stack/backend.hpp"
#include "harness/stack/topology.hpp"

namespace cdc::native {

// Postgres, KRaft Kafka nodes and Connect workers (as many as the topology says) as local
// processes on 127.0.0.1, with data and logs under the run directory.
std::unique_ptr<StackBackend> make_native_backend(const std::filesystem::path& run_dir,
                                                  const Topology& topology = {},
                                                  const std::string& versions = "",
                                                  bool connect_defaults = false,
                                                  bool schema_registry = false);

}  // namespace cdc::native
