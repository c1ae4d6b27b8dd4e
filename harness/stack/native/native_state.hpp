#pragma once
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/stack/backend.hpp"
#include "harness/stack/native/postgres_server.hpp"

namespace cdc::native {

// A process the native stack started, as its state file records it: `down`, `status`,
// faults and relaunches find it by pid and tell it from a reused pid by its marker.
struct RecordedProcess {
  int pid = 0;             // 0: not spawned (yet)
  std::string marker{};    // a path on its command line
  std::string name{};      // "kafka-2", "connect"; empty in an older record: the component's
  std::string endpoint{};  // as `status` shows it
  int port = 0;
  int controller_port = 0;   // a broker's KRaft listener
  int node_id = 0;           // a broker's
  int metrics_port = 0;      // a worker's metrics agent
  std::string bootstrap{};   // a worker's brokers, through their proxies
  std::string class_dump{};  // a JVM's class list, dumped at exit for the next start's archive
  std::map<std::string, int> proxies{};  // Toxiproxy's: what each stands in front of -> port
};

// What is running, and where: written before each process starts and after, so that `down`
// (or the next `up`) finds everything even after a crash.
struct NativeState {
  std::string run_dir{};
  int owner_pid = 0;
  std::optional<PostgresServer> postgres{};
  std::optional<RecordedProcess> toxiproxy{};
  std::optional<RecordedProcess> schema_registry{};
  // One per broker or worker (index: node - 1), filled in as each is spawned.
  std::vector<RecordedProcess> kafka{};
  std::vector<RecordedProcess> connect{};

  // The spawned brokers or workers, in node order, each named.
  std::vector<RecordedProcess> nodes(Component component) const;
  // The slot of node `node` (from 1) of kafka or connect, made if missing.
  RecordedProcess& node(Component component, int node);
};

// state.json's layout, kept for the scripts that read it (ci/avro-check.sh) and for the
// leftovers of an older harness (which recorded one object for kafka and connect).
nlohmann::json to_json(const NativeState& state);
NativeState native_state_from_json(const nlohmann::json& j);

// The run directory's state file: read whole, changed under a lock, written whole.
class StateFile {
 public:
  explicit StateFile(std::filesystem::path path) : path_(std::move(path)) {}

  NativeState load() const;
  void update(const std::function<void(NativeState&)>& change);
  bool exists() const { return std::filesystem::exists(path_); }

 private:
  std::filesystem::path path_;
  mutable std::mutex mutex_;
};

}  // namespace cdc::native
