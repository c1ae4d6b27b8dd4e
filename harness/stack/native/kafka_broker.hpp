#pragma once
#include <filesystem>
#include <functional>

#include "harness/common/progress.hpp"
#include "harness/stack/native/java_service.hpp"
#include "harness/stack/native/toolchain.hpp"

namespace cdc::native {

struct KafkaBroker {
  std::filesystem::path dir{};  // server.properties and data/
  std::filesystem::path log{};
  int port = 0;             // PLAINTEXT listener, 127.0.0.1
  int controller_port = 0;  // KRaft controller listener, 127.0.0.1
  // Connect's own listener, advertised as the port of the proxy in front of it: Kafka clients
  // reconnect to the advertised address, so only this keeps Connect behind the proxy.
  int connect_port = 0;
  int connect_advertised_port = 0;

  std::string bootstrap() const { return "127.0.0.1:" + std::to_string(port); }
};

// One KRaft node (broker + controller) on loopback: formats storage, starts it and waits
// until it answers a metadata request. Returns the broker's pid.
int start_kafka(const Toolchain& tools, const KafkaBroker& broker, const Progress& progress,
                const std::function<void(int)>& on_spawned, const ClassArchive* classes = nullptr);

// Starts the node again on its formatted storage and waits until it answers.
int launch_kafka(const Toolchain& tools, const KafkaBroker& broker,
                 const std::function<void(int)>& on_spawned, const ClassArchive* classes = nullptr);

}  // namespace cdc::native
