#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "harness/common/errors.hpp"
#include "harness/common/interrupt.hpp"
#include "harness/common/progress.hpp"

namespace cdc {

// A TCP port on 127.0.0.1 that nothing listens on right now, chosen by the kernel (so two runs,
// or a system Postgres on 5432, never collide on a fixed number); never twice in a process,
// and never one another harness process holds (a ledger in the harness's cache). The pick is
// held while this process lives, and after it while `held_while` exists (a stack's state
// file: a detached stack's servers restart on their ports when faults stop them).
int pick_free_port(const std::filesystem::path& held_while = {});

// Another process listens on a port picked for one of ours: what answers there is not our
// server, and the start is retried on fresh ports.
struct PortTaken : HarnessError {
  using HarnessError::HarnessError;
};

// Who listens on `port` (any local address): nobody, the process `pid` (or a child of it), or
// another process.
enum class Listener { Nobody, Ours, Another };
Listener listener_on(int port, int pid);

// For a readiness probe, before it believes an answer on `port`: whether `pid` listens there
// yet. Throws PortTaken, naming `server`, when another process does.
bool listening_yet(const std::string& server, int port, int pid);

// Whether `log`, past `offset` (all of it if it was rewritten), says a port was bound by
// someone else: Java's BindException (Kafka, Connect), Postgres's "could not bind", Go's
// "bind: address already in use" (Toxiproxy).
bool port_taken_since(const std::filesystem::path& log, std::uintmax_t offset);

// A port picked free may be taken by another process before our server binds it: a start
// that fails so is retried on fresh ports (`start(attempt)` picks them), up to three times,
// instead of failing the bring-up: when a server's log says it could not bind, or a probe
// found another process on its port (PortTaken). Any other failure is rethrown at once.
// Several servers started as one (a cluster's nodes) are retried together when any of their
// logs says so.
template <typename Start>
void start_on_free_ports(const std::string& component,
                         const std::vector<std::filesystem::path>& logs, const Progress& progress,
                         Start start) {
  for (int attempt = 1;; ++attempt) {
    std::vector<std::uintmax_t> offsets;
    for (const auto& log : logs) {
      std::error_code ec;
      offsets.push_back(std::filesystem::exists(log, ec) ? std::filesystem::file_size(log, ec) : 0);
    }
    const auto port_taken = [&] {
      for (size_t i = 0; i < logs.size(); ++i) {
        if (port_taken_since(logs[i], offsets[i])) return true;
      }
      return false;
    };
    try {
      start(attempt);
      return;
    } catch (const Interrupted&) {
      throw;
    } catch (const PortTaken& e) {
      if (attempt == 3) throw;
      progress.stage(component, std::string(e.what()) + ": retrying on fresh ports");
    } catch (const HarnessError&) {
      if (attempt == 3 || !port_taken()) throw;
      progress.stage(component,
                     "a port picked for it was taken before it could bind it: retrying on fresh "
                     "ports");
    }
  }
}

template <typename Start>
void start_on_free_ports(const std::string& component, const std::filesystem::path& log,
                         const Progress& progress, Start start) {
  start_on_free_ports(component, std::vector<std::filesystem::path>{log}, progress, start);
}

}  // namespace cdc
