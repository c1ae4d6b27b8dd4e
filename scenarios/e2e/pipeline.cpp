#include "scenarios/e2e/pipeline.hpp"

#include <cstdlib>
#include <iostream>
#include <pqxx/pqxx>
#include <random>

#include "harness/common/errors.hpp"
#include "harness/common/progress.hpp"
#include "harness/common/timeouts.hpp"
#include "harness/connector/connector_lifecycle.hpp"
#include "harness/connector/rendering_rules.hpp"
#include "harness/experiment/fence_elsewhere.hpp"
#include "harness/observer/schema_registry.hpp"

namespace cdc::scenarios {
using nlohmann::json;
using namespace std::chrono_literals;

const Pipeline& Pipeline::shared() {
  static const Pipeline pipeline = [] {
    const char* run_dir = std::getenv("CDC_HARNESS_RUN_DIR");
    if (run_dir == nullptr || *run_dir == '\0') {
      throw HarnessError(
          "CDC_HARNESS_RUN_DIR is not set: run e2e scenarios through ctest, which brings the "
          "pipeline up first (e.g. `ctest --test-dir build -R <scenario>`)");
    }
    const auto stack = load_stack_choice(run_dir);
    if (!stack) {
      throw HarnessError(std::string("no stack recorded in ") + run_dir +
                         ": bring one up with `cdc-harness up --detach --run-dir " + run_dir + "`");
    }
    Pipeline loaded{run_dir, load_endpoints(run_dir), load_stack_connector(run_dir), *stack};
    // An Avro pipeline's records are read with the writer schemas of the stack's registry.
    use_schema_registry(loaded.endpoints.schema_registry_url);
    return loaded;
  }();
  return pipeline;
}

std::string unique_tag(const std::string& scenario) {
  static std::random_device random;
  static const char* alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::string tag = scenario + "-" + Pipeline::shared().stack.run_id;
  for (int i = 0; i < 6; ++i) tag += alphabet[random() % 36];
  return tag;
}

MatchRules customers_rules(const Pipeline& pipeline, const ConnectorConfig& connector,
                           Delivery delivery) {
  return rendering_rules(pipeline.endpoints.app, "public.customers", connector, delivery);
}

CustomersScene::CustomersScene(const Pipeline& pipeline, const ConnectorConfig& connector,
                               const std::string& name)
    : workload(pipeline.endpoints.app, unique_tag(name)),
      observer(pipeline.endpoints.kafka_bootstrap, connector.change_topic()),
      reader(observer, fence_with(workload), 1,
             fence_elsewhere(pipeline.endpoints, connector, connector.change_topic())) {}

BulkRows::BulkRows(const Pipeline& pipeline, std::string tag)
    : app_(pipeline.endpoints.app), tag_(std::move(tag)) {}

std::vector<ExpectedChange> BulkRows::expected_creates() const {
  pqxx::connection conn(app_.conninfo());
  pqxx::nontransaction tx(conn);
  std::vector<ExpectedChange> expected;
  for (const auto& row :
       tx.exec_params("SELECT id, row_to_json(c) FROM customers c WHERE email LIKE $1 ORDER BY id",
                      tag_ + "-%@example.com")) {
    expected.push_back(
        expect::create({{"id", row[0].as<int>()}}).with_after(json::parse(row[1].c_str())));
  }
  return expected;
}

BulkRows::~BulkRows() {
  try {
    pqxx::connection conn(app_.conninfo());
    pqxx::nontransaction tx(conn);
    tx.exec_params("DELETE FROM customers WHERE email LIKE $1", tag_ + "-%@example.com");
  } catch (const std::exception& e) {
    std::cerr << "could not delete the rows of " << tag_ << ": " << e.what() << "\n";
  }
}

ConnectorConfig ScopedConnector::derive(const Pipeline& pipeline, const std::string& tag,
                                        const std::function<void(json&)>& change) {
  ConnectorConfig config = isolated_copy(pipeline.connector, tag);
  if (change) change(config.config);
  return config;
}

ScopedConnector::ScopedConnector(const Pipeline& pipeline, const std::string& tag,
                                 const std::function<void(json&)>& change, WaitFor wait)
    : pipeline_(pipeline), config_(derive(pipeline, tag, change)) {
  try {
    register_connector(pipeline.endpoints, config_);
    if (wait == WaitFor::Streaming) wait_until_streaming(pipeline.endpoints, config_);
  } catch (...) {
    remove_connector(pipeline.endpoints, config_.name, config_.slot_name());
    throw;
  }
}

ScopedConnector::~ScopedConnector() {
  try {
    remove_connector(pipeline_.endpoints, config_.name, config_.slot_name());
  } catch (const std::exception& e) {
    // `cdc-harness down` removes it with the stack; say so rather than throw from a destructor.
    std::cerr << "warning: could not remove connector " << config_.name << ": " << e.what() << "\n";
  }
}

}  // namespace cdc::scenarios
