#pragma once
#include <filesystem>
#include <functional>
#include <string>

#include "harness/stack/native/toolchain.hpp"

namespace cdc::native {

// Apicurio Registry (in-memory storage) for `--converter avro`: Connect's AvroConverter
// registers the schemas of what it writes, and the observer fetches them by id from its
// Confluent-compatible API.
struct SchemaRegistryServer {
  std::filesystem::path dir{};  // its working directory (the marker on its command line)
  std::filesystem::path log{};
  int port = 0;  // HTTP, 127.0.0.1

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port); }
};

// Starts it and waits until its Confluent-compatible API answers. Returns its pid.
int start_schema_registry(const Toolchain& tools, const SchemaRegistryServer& server,
                          const std::function<void(int)>& on_spawned);

}  // namespace cdc::native
