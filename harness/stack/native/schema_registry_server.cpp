#include "harness/stack/native/schema_registry_server.hpp"

#include <httplib.h>

#include "harness/common/errors.hpp"
#include "harness/common/files.hpp"
#include "harness/common/process.hpp"
#include "harness/common/timeouts.hpp"
#include "harness/common/wait.hpp"
#include "harness/stack/ports.hpp"

namespace cdc::native {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

int start_schema_registry(const Toolchain& tools, const SchemaRegistryServer& server,
                          const std::function<void(int)>& on_spawned) {
  fs::create_directories(server.dir);
  // Quarkus reads its settings from system properties; the last one puts the run directory
  // on the command line, which is how a pid is known as ours.
  ProcessSpec spec{
      "schema registry",
      tools.java,
      {"-Xms64m", "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
       "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + std::to_string(server.port),
       "-Dquarkus.log.console.color=false", "-Dcdc.harness.dir=" + server.dir.string(), "-jar",
       tools.schema_registry_jar.string()},
      server.log,
      server.dir,
      std::nullopt,
      {}};
  const int pid = spawn_server(spec);
  on_spawned(pid);
  httplib::Client client("127.0.0.1", server.port);
  client.set_connection_timeout(1, 0);
  client.set_read_timeout(5, 0);
  wait_for(
      "the schema registry's API on " + server.url() + "/apis/ccompat/v7/subjects to answer",
      scaled(60s),
      [&] {
        if (!is_alive(pid, server.dir.string())) {
          throw HarnessError("the schema registry exited during start-up; its log (" +
                             server.log.string() + ") ends:\n" + tail_of_file(server.log));
        }
        if (!listening_yet("the schema registry", server.port, pid))
          return Probe<bool>::not_yet("nothing listens on port " + std::to_string(server.port));
        auto response = client.Get("/apis/ccompat/v7/subjects");
        if (!response) return Probe<bool>::not_yet(httplib::to_string(response.error()));
        if (response->status != 200)
          return Probe<bool>::not_yet("HTTP " + std::to_string(response->status));
        return Probe<bool>::ready(true);
      },
      100ms);
  return pid;
}

}  // namespace cdc::native
