#pragma once
#include <filesystem>
#include <functional>
#include <string>

#include "harness/common/progress.hpp"
#include "harness/stack/endpoints.hpp"
#include "harness/stack/native/java_service.hpp"
#include "harness/stack/native/toolchain.hpp"

namespace cdc::native {

struct ConnectWorker {
  std::filesystem::path dir{};  // worker.properties
  std::filesystem::path log{};
  std::string bootstrap{};
  int port = 0;                  // REST, 127.0.0.1
  PostgresEndpoint postgres;     // Debezium's role: handed to Connect as environment variables
  std::string name = "connect";  // in progress lines: "connect", or "connect-2" of several
  int replication_factor = 1;    // of Connect's config, offset and status topics
  int metrics_port = 0;          // the Prometheus JMX exporter's, 127.0.0.1
  // Connect's own defaults where debezium/worker.properties tunes the worker for tests
  // (offset.flush.interval.ms 60 s, not 1 s): the worker users run.
  bool connect_defaults = false;

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port); }
  std::string metrics_url() const {
    return "http://127.0.0.1:" + std::to_string(metrics_port) + "/metrics";
  }
};

// The settings of debezium/worker.properties that only tune the worker for tests, and that
// --connect-defaults leaves at Connect's defaults.
inline constexpr const char* kTestTunedWorkerSettings[] = {
    "offset.flush.interval.ms", "scheduled.rebalance.max.delay.ms", "fetch.max.wait.ms"};

// A distributed-mode worker with debezium/worker.properties plus ports and paths, started
// without waiting: it may start before its broker answers (it retries until it does), so
// that its JVM's start overlaps the broker's. Returns its pid.
int spawn_connect(const Toolchain& tools, const ConnectWorker& worker, const Progress& progress,
                  const std::function<void(int)>& on_spawned,
                  const ClassArchive* classes = nullptr);
int respawn_connect(const Toolchain& tools, const ConnectWorker& worker, const Progress& progress,
                    const std::function<void(int)>& on_spawned,
                    const ClassArchive* classes = nullptr);

// Waits until the worker's REST API answers and lists Debezium's Postgres connector.
void await_connect(const Toolchain& tools, const ConnectWorker& worker, int pid);

// Starts the worker again with the configuration it has and waits until its REST API answers.
int launch_connect(const Toolchain& tools, const ConnectWorker& worker, const Progress& progress,
                   const std::function<void(int)>& on_spawned,
                   const ClassArchive* classes = nullptr);

}  // namespace cdc::native
