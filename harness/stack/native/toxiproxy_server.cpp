#include "harness/stack/native/toxiproxy_server.hpp"

#include "harness/common/errors.hpp"
#include "harness/common/files.hpp"
#include "harness/common/process.hpp"
#include "harness/common/timeouts.hpp"
#include "harness/common/wait.hpp"
#include "harness/stack/ports.hpp"
#include "harness/stack/toxiproxy_client.hpp"

namespace cdc::native {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

int start_toxiproxy(const Toolchain& tools, const ToxiproxyServer& server,
                    const std::function<void(int)>& on_spawned) {
  fs::create_directories(server.dir);
  // No proxies at start (the stack creates them once it knows their upstreams); the file's
  // path puts the run directory on the command line, which is how a pid is known as ours.
  const fs::path config = server.dir / "proxies.json";
  write_file(config, "[]\n");
  ProcessSpec spec{
      "toxiproxy",
      tools.toxiproxy,
      {"-host", "127.0.0.1", "-port", std::to_string(server.port), "-config", config.string()},
      server.log,
      server.dir,
      std::nullopt,
      {{"LOG_LEVEL", "info"}}};  // its default logs every packet's journey
  const int pid = spawn_server(spec);
  on_spawned(pid);
  ToxiproxyClient client(server.url());
  wait_for("Toxiproxy's API on " + server.url() + " to answer", scaled(20s), [&] {
    if (!is_alive(pid, config.string())) {
      throw HarnessError("Toxiproxy exited during start-up; its log (" + server.log.string() +
                         ") ends:\n" + tail_of_file(server.log));
    }
    if (!listening_yet("Toxiproxy's API", server.port, pid))
      return Probe<bool>::not_yet("nothing listens on port " + std::to_string(server.port));
    try {
      client.version();
      return Probe<bool>::ready(true);
    } catch (const HarnessError& e) {
      return Probe<bool>::not_yet(e.what());
    }
  });
  return pid;
}

}  // namespace cdc::native
