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
  // In a cluster: its node id, every controller ("1@127.0.0.1:port,2@…"), and how its
  // topics are replicated. One node: id 1, itself, one replica.
  int node_id = 1;
  std::string voters{};
  int replication_factor = 1;
  int min_insync_replicas = 1;
  std::string cluster_id{};    // shared by a cluster's nodes; "" for a node of its own
  std::string name = "kafka";  // in progress lines: "kafka", or "kafka-2" of several

  std::string bootstrap() const { return "127.0.0.1:" + std::to_string(port); }
  std::string controller() const {
    return std::to_string(node_id) + "@127.0.0.1:" + std::to_string(controller_port);
  }
};

// A fresh id for a cluster's nodes to share.
std::string new_cluster_id();

// One KRaft node (broker + controller) on loopback: formats storage, starts it and waits
// until it answers a metadata request (a node of a cluster: once a quorum of its
// controllers runs, so a cluster's nodes start side by side). Returns the broker's pid.
int start_kafka(const Toolchain& tools, const KafkaBroker& broker, const Progress& progress,
                const std::function<void(int)>& on_spawned, const ClassArchive* classes = nullptr);

// Starts the node again on its formatted storage and waits until it answers.
int launch_kafka(const Toolchain& tools, const KafkaBroker& broker,
                 const std::function<void(int)>& on_spawned, const ClassArchive* classes = nullptr);

}  // namespace cdc::native
