#include "harness/stack/native/connect_worker.hpp"

#include <httplib.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "harness/common/errors.hpp"
#include "harness/common/files.hpp"
#include "harness/common/process.hpp"
#include "harness/common/timeouts.hpp"
#include "harness/common/wait.hpp"
#include "harness/stack/native/java_service.hpp"
#include "harness/stack/ports.hpp"
#include "harness/stack/stack_probes.hpp"

namespace cdc::native {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

// Connect's own topics, replicated as the cluster's are (debezium/worker.properties says 1).
std::string replication(int factor) {
  if (factor == 1) return "";
  const std::string n = std::to_string(factor);
  return "config.storage.replication.factor=" + n + "\noffset.storage.replication.factor=" + n +
         "\nstatus.storage.replication.factor=" + n + "\n";
}

// debezium/worker.properties, less the test-tuned settings when the worker is to run with
// Connect's defaults.
std::string worker_settings(bool connect_defaults) {
  const std::string all = read_file(fs::path(CDC_SOURCE_DIR) / "debezium" / "worker.properties");
  if (!connect_defaults) return all;
  std::string kept;
  std::istringstream lines(all);
  for (std::string line; std::getline(lines, line);) {
    bool tuned = false;
    for (const char* name : kTestTunedWorkerSettings)
      tuned = tuned || line.rfind(std::string(name) + "=", 0) == 0;
    kept += (tuned ? "# (Connect's default) " : "") + line + "\n";
  }
  return kept;
}

// What the exporter serves: Connect's task and producer metrics (the scenario files' settling
// reads them), not every MBean of the JVM.
constexpr const char* kMetricsConfig =
    "lowercaseOutputName: true\n"
    "includeObjectNames:\n"
    "  - \"kafka.connect:type=source-task-metrics,*\"\n"
    "  - \"kafka.connect:type=connector-task-metrics,*\"\n"
    "  - \"kafka.connect:type=connect-worker-metrics\"\n"
    "  - \"kafka.producer:type=producer-metrics,*\"\n";

}  // namespace

int spawn_connect(const Toolchain& tools, const ConnectWorker& worker, const Progress& progress,
                  const std::function<void(int)>& on_spawned, const ClassArchive* classes) {
  fs::create_directories(worker.dir);
  const fs::path config = worker.dir / "worker.properties";
  write_file(worker.dir / "metrics.yaml", kMetricsConfig);
  write_file(config, worker_settings(worker.connect_defaults) +
                         "\n# --- cdc-harness ---\n"
                         "bootstrap.servers=" +
                         worker.bootstrap +
                         "\n"
                         "listeners=http://127.0.0.1:" +
                         std::to_string(worker.port) +
                         "\n"
                         "rest.advertised.host.name=127.0.0.1\n"
                         "rest.advertised.port=" +
                         std::to_string(worker.port) +
                         "\n"
                         "plugin.path=" +
                         connect_plugin_path(tools) +
                         "\n"
                         // It starts beside its broker: retried at 1 s (the default), it would
                         // notice the broker up to a second late.
                         "reconnect.backoff.max.ms=100\n"
                         "retry.backoff.max.ms=100\n" +
                         replication(worker.replication_factor));
  return respawn_connect(tools, worker, progress, on_spawned, classes);
}

int respawn_connect(const Toolchain& tools, const ConnectWorker& worker, const Progress& progress,
                    const std::function<void(int)>& on_spawned, const ClassArchive* classes) {
  const fs::path config = worker.dir / "worker.properties";
  ProcessSpec spec =
      java_process(tools, "kafka connect", "org.apache.kafka.connect.cli.ConnectDistributed",
                   {config.string()}, worker.log, worker.dir, "1g", classes);
  // Connect's metrics, as users scrape them, on 127.0.0.1 only. A JVM with an agent writes
  // its class archive only when allowed to.
  spec.args.insert(spec.args.begin(),
                   {"-XX:+UnlockDiagnosticVMOptions", "-XX:+AllowArchivingWithJavaAgent",
                    "-javaagent:" + tools.metrics_agent.string() +
                        "=127.0.0.1:" + std::to_string(worker.metrics_port) + ":" +
                        (worker.dir / "metrics.yaml").string()});
  // What debezium/customer-cdc.json's ${env:CDC_PG_*} references resolve to, inside Connect.
  spec.env = {{"CDC_PG_HOST", worker.postgres.host},
              {"CDC_PG_PORT", std::to_string(worker.postgres.port)},
              {"CDC_PG_DBNAME", worker.postgres.dbname},
              {"CDC_PG_USER", worker.postgres.user},
              {"CDC_PG_PASSWORD", worker.postgres.password}};
  const int pid = spawn_server(spec);
  on_spawned(pid);
  progress.stage(worker.name, "worker started (pid " + std::to_string(pid) + ")");
  return pid;
}

void await_connect(const Toolchain& tools, const ConnectWorker& worker, int pid) {
  const fs::path config = worker.dir / "worker.properties";
  httplib::Client client("127.0.0.1", worker.port);
  client.set_connection_timeout(1, 0);
  client.set_read_timeout(5, 0);
  wait_for(
      "Kafka Connect on " + worker.url() + " to list " + kDebeziumPostgresConnectorClass,
      scaled(90s),
      [&] {
        if (!is_alive(pid, config.string())) {
          throw HarnessError("the Kafka Connect worker exited during start-up; its log (" +
                             worker.log.string() + ") ends:\n" + tail_of_file(worker.log));
        }
        if (!listening_yet(worker.name + "'s REST API", worker.port, pid))
          return Probe<bool>::not_yet("nothing listens on port " + std::to_string(worker.port));
        auto response = client.Get("/connector-plugins");
        if (!response) return Probe<bool>::not_yet("REST: " + httplib::to_string(response.error()));
        if (response->status != 200) {
          return Probe<bool>::not_yet("GET /connector-plugins -> HTTP " +
                                      std::to_string(response->status));
        }
        switch (read_plugin_list(response->body)) {
          case PluginList::WithDebeziumPostgres:
            return Probe<bool>::ready(true);
          case PluginList::WithoutDebeziumPostgres:
            // Plugins are scanned before REST serves, so a list without it will not change.
            throw HarnessError(std::string("Kafka Connect does not list ") +
                               kDebeziumPostgresConnectorClass +
                               " (plugin.path=" + tools.connect_plugins.string() +
                               "): re-resolve the jars with `bash ci/resolve-jars.sh`; it lists: " +
                               answer_excerpt(response->body));
          case PluginList::NotAPluginList:
            break;
        }
        throw HarnessError("the Kafka Connect worker on " + worker.url() +
                           " answered GET /connector-plugins with something that is not a plugin "
                           "list: \"" +
                           answer_excerpt(response->body) + "\"; its log (" + worker.log.string() +
                           ") may say why");
      },
      100ms);
}

int launch_connect(const Toolchain& tools, const ConnectWorker& worker, const Progress& progress,
                   const std::function<void(int)>& on_spawned, const ClassArchive* classes) {
  const int pid = respawn_connect(tools, worker, progress, on_spawned, classes);
  await_connect(tools, worker, pid);
  return pid;
}

}  // namespace cdc::native
