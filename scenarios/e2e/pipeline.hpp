#pragma once
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/checkers/change_checks.hpp"
#include "harness/connector/connector_config.hpp"
#include "harness/observer/fenced_reader.hpp"
#include "harness/observer/topic_observer.hpp"
#include "harness/stack/endpoints.hpp"
#include "harness/stack/stack_choice.hpp"
#include "harness/workload/customers_workload.hpp"

namespace cdc::scenarios {

// The pipeline the ctest fixture brought up (`cdc-harness up --detach`, see CMakeLists.txt),
// found through CDC_HARNESS_RUN_DIR: endpoints plus the connector registered from
// debezium/customer-cdc.json.
struct Pipeline {
  std::filesystem::path run_dir{};
  StackEndpoints endpoints;
  ConnectorConfig connector;
  StackChoice stack;  // which backend, and the run id every name the suite creates carries

  static const Pipeline& shared();
};

// A name no other scenario (or other run) uses: scenarios run side by side, and on an
// external stack the run's cleanup finds everything by the run id inside it.
std::string unique_tag(const std::string& scenario);

// How Debezium must render changes of customers through `connector` (the table's REPLICA
// IDENTITY and the connector's tombstones.on.delete), judged under `delivery`.
MatchRules customers_rules(const Pipeline& pipeline, const ConnectorConfig& connector,
                           Delivery delivery = Delivery::ExactlyOnce);

// A fence for FencedReader on customers: a row of the scenario's own.
inline std::function<FenceRow()> fence_with(CustomersWorkload& workload) {
  return [&workload] { return fence_row(workload.fence(), "email"); };
}

// What most scenarios on customers start from: rows of their own, and a reader of a
// connector's change topic fenced by those rows.
struct CustomersScene {
  CustomersWorkload workload;
  TopicObserver observer;
  FencedReader reader;  // fails at once when the fence comes keyed otherwise or elsewhere

  CustomersScene(const Pipeline& pipeline, const ConnectorConfig& connector,
                 const std::string& name);
};

// The customers rows a scenario bulk-writes (emails "<tag>-...@example.com"), deleted when it
// ends: connectors of later scenarios would otherwise snapshot them all.
class BulkRows {
 public:
  BulkRows(const Pipeline& pipeline, std::string tag);
  ~BulkRows();
  BulkRows(const BulkRows&) = delete;
  BulkRows& operator=(const BulkRows&) = delete;

  const std::string& tag() const { return tag_; }
  // One insert per row the scenario wrote, as Postgres has it now, in id order.
  std::vector<ExpectedChange> expected_creates() const;

 private:
  PostgresEndpoint app_;
  std::string tag_;
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
