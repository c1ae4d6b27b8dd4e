#pragma once
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "harness/common/progress.hpp"
#include "harness/stack/endpoints.hpp"
#include "harness/stack/stack_choice.hpp"

namespace cdc {

// The pipeline's parts a backend can act on one by one.
enum class Component { Postgres, Kafka, Connect };
// stop: graceful (SIGTERM; Postgres: pg_ctl stop -m fast); start: again, as it was, and wait
// until it answers; kill: SIGKILL (a crash); pause/resume: SIGSTOP/SIGCONT (a stall).
enum class ComponentAction { Stop, Start, Kill, Pause, Resume };

std::string to_string(Component component);  // "postgres", "kafka", "connect"
std::string to_string(ComponentAction action);

struct ComponentStatus {
  std::string name{};
  bool running = false;
  std::string detail{};  // endpoint, pid, or why it is down
};

// A way of getting a Postgres + Kafka + Connect stack. `native` runs them as local
// processes; `compose` (docker compose) and `external` (endpoints someone else runs) plug
// in here without scenarios noticing: they see only StackEndpoints.
class StackBackend {
 public:
  virtual ~StackBackend() = default;
  // Brings the stack up and records it in the run directory as it goes, so that `down`
  // can stop whatever got started even if this process dies half-way.
  virtual StackEndpoints up(const Progress& progress) = 0;
  // Stops everything the run directory records. Idempotent; safe on a half-started stack.
  virtual void down(const Progress& progress) = 0;
  virtual std::vector<ComponentStatus> status() const = 0;
  // True when the run directory records a stack (running or left behind by a dead run).
  virtual bool has_leftovers() const = 0;
  // Makes the components' logs readable under <run dir>/logs (native writes them there
  // anyway; compose copies them out of its containers). False when the backend has none.
  virtual bool collect_logs() const { return true; }
  // The (first) Connect worker's log as it stands, for the settings Kafka logs at its start
  // (Connect's REST API serves no worker config); "" where the stack gives none (external).
  virtual std::string worker_log() const { return ""; }
  // The offset flush interval the stack's own config means its workers to run with; 0 where
  // it means nothing (external).
  virtual long intended_offset_flush_ms() const { return 0; }
  // Acts on one component and returns once it is in the state the action leads to (start:
  // answering again). A backend that does not own the component says so in a HarnessError.
  virtual void act_on(Component component, ComponentAction action, const Progress& progress) = 0;
  // How many of a component it runs (a cluster's brokers, a Connect group's workers), and the
  // same actions on one of them (1-based; act_on acts on the first). One of each by default.
  virtual int nodes(Component) const { return 1; }
  // Where each node answers (a broker's bootstrap address, a worker's REST URL), node 1
  // first; empty where the backend does not know them.
  virtual std::vector<std::string> node_endpoints(Component) const { return {}; }
  virtual void act_on_node(Component component, int node, ComponentAction action,
                           const Progress& progress);
  // Stops every Connect worker and starts them again on another version set (an upgrade or a
  // downgrade of Debezium and Connect on the same Kafka, Postgres, slot and offsets); returns
  // once each answers. Only the native stack has version sets.
  virtual void switch_versions(const std::string& version_set, const Progress& progress);
};

std::unique_ptr<StackBackend> make_stack_backend(const StackChoice& choice,
                                                 const std::filesystem::path& run_dir);

// The backend that brought up the stack recorded in `run_dir` (native when none is).
std::unique_ptr<StackBackend> recorded_stack_backend(const std::filesystem::path& run_dir);

}  // namespace cdc
