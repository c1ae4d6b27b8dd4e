#pragma once
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/checkers/event_expectations.hpp"
#include "harness/connector/connector_config.hpp"
#include "harness/observer/topic_observer.hpp"
#include "harness/stack/endpoints.hpp"
#include "harness/workload/customers_workload.hpp"

namespace cdc::scenarios {

// The pipeline the ctest fixture brought up (`cdc-harness up --detach`, see CMakeLists.txt),
// found through CDC_HARNESS_RUN_DIR: endpoints plus the connector registered from
// debezium/customer-cdc.json.
struct Pipeline {
  std::filesystem::path run_dir;
  StackEndpoints endpoints;
  ConnectorConfig connector;

  static const Pipeline& shared();
};

// A name no other scenario (or earlier run) uses: scenarios run side by side.
std::string unique_tag(const std::string& scenario);

// How Debezium must render changes here: the table's REPLICA IDENTITY (read from Postgres)
// and the connector's tombstones.on.delete.
EventRules event_rules(const Pipeline& pipeline, const ConnectorConfig& connector);

// Reads a change topic in steps, each ending at a fence: a row inserted after the
// scenario's changes. The change topic has one partition, so it is in commit order: once
// the fence's insert is read, every change committed before it has been read too, and an
// event still missing is missing, not late. (A duplicate that Kafka delivers after the
// fence is not seen; at-least-once duplicates come with faults, which later scenarios add.)
class FencedReader {
 public:
  // `write_fence` commits a fresh row to the observed table and returns its key.
  FencedReader(TopicObserver& observer, std::function<nlohmann::json()> write_fence)
      : observer_(observer), write_fence_(std::move(write_fence)) {}
  FencedReader(TopicObserver& observer, CustomersWorkload& workload)
      : FencedReader(observer,
                     [&workload] { return workload.insert("fence", workload.tag()).key; }) {}

  // The events since the previous fence (or the topic's start), up to a new fence.
  std::vector<ChangeEvent> next();

 private:
  TopicObserver& observer_;
  std::function<nlohmann::json()> write_fence_;
  size_t consumed_ = 0;
};

// A connector of the scenario's own, derived from debezium/customer-cdc.json with its own
// name, slot and topic prefix (plus the scenario's `change` to its settings), started and
// awaited until streaming; deleted with its slot when the scenario ends.
enum class WaitFor { Streaming, Registration };

class ScopedConnector {
 public:
  ScopedConnector(const Pipeline& pipeline, const std::string& tag,
                  const std::function<void(nlohmann::json&)>& change = {},
                  WaitFor wait = WaitFor::Streaming);
  ~ScopedConnector();
  ScopedConnector(const ScopedConnector&) = delete;
  ScopedConnector& operator=(const ScopedConnector&) = delete;

  const ConnectorConfig& config() const { return config_; }

  // Only derives the config; for scenarios that expect start-up itself to fail.
  static ConnectorConfig derive(const Pipeline& pipeline, const std::string& tag,
                                const std::function<void(nlohmann::json&)>& change);

 private:
  const Pipeline& pipeline_;
  ConnectorConfig config_;
};

}  // namespace cdc::scenarios
