#pragma once
#include <filesystem>
#include <functional>
#include <string>

#include "harness/stack/native/toolchain.hpp"

namespace cdc::native {

// Toxiproxy's server, which carries Connect's connections to Postgres and to the broker so
// that network faults (cut, latency, trickle) can be injected on them.
struct ToxiproxyServer {
  std::filesystem::path dir{};  // proxies.json (its command-line marker)
  std::filesystem::path log{};
  int port = 0;  // its HTTP API, 127.0.0.1

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port); }
};

// Starts it and waits until its API answers. Returns its pid.
int start_toxiproxy(const Toolchain& tools, const ToxiproxyServer& server,
                    const std::function<void(int)>& on_spawned);

}  // namespace cdc::native
