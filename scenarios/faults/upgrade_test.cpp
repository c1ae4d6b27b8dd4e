// Debezium and Connect upgraded under load (the stack's version set to the newest one; see
// ci/jars/versions/), then downgraded back: the workers stop, start again on the other set's
// jars, and keep streaming from the same Kafka, Postgres, slot and offsets. Nothing may be
// lost or reordered, no snapshot may be taken again, duplicates are counted.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <iostream>

#include "harness/connector/connect_client.hpp"
#include "harness/connector/connector_handle.hpp"
#include "harness/stack/stack_probes.hpp"
#include "harness/stack/version_sets.hpp"
#include "scenarios/anomaly_printing.hpp"
#include "scenarios/e2e/pipeline.hpp"
#include "scenarios/faults/fault_run.hpp"
#include "scenarios/faults/survived.hpp"

namespace cdc::scenarios {
namespace {
using namespace std::chrono_literals;

// What Connect runs now: "Kafka 4.3.0, Debezium 3.6.1.Final".
std::string running_versions(const StackEndpoints& endpoints) {
  ConnectClient connect(endpoints.connect_url);
  const auto root = nlohmann::json::parse(connect.get("/").body, nullptr, false);
  return "Kafka " + (root.is_object() ? root.value("version", "?") : "?") + ", Debezium " +
         plugin_version(connect, kDebeziumPostgresConnectorClass);
}

// Switches the stack's workers to `to` while a load runs through a connector of the test's.
FaultRun switch_under_load(const std::string& to) {
  LoadShape shape;
  shape.duration = 20s;
  return run_fault_under_load(
      [&](const FaultTarget& t) {
        StackBackend* stack = &t.stack;
        return Fault{
            "switch to " + to, "stop every Connect worker, start them on version set " + to,
            FaultKind::Graceful, [=] { stack->switch_versions(to, Progress(true)); }, [] {}};
      },
      {}, shape);
}

void expect_streamed_through(const FaultRun& run) {
  std::cout << "[ upgrade ] " << run.summary() << "; " << run.reads << " snapshot reads\n";
  expect_survived(run, 300);
  EXPECT_EQ(run.reads, 0u) << "the connector took a snapshot again: it did not resume";
}

TEST(Upgrade, ToTheNewestVersionSetAndBackUnderLoadLosesNothingAndTakesNoSnapshot) {
  const auto& pipeline = Pipeline::shared();
  const std::string from =
      pipeline.stack.versions.empty() ? default_version_set() : pipeline.stack.versions;
  const std::string to = version_sets().back().name;  // the newest
  if (pipeline.stack.kind != StackKind::Native || from == to) {
    GTEST_SKIP() << "needs the native stack on an older version set than " << to;
  }
  const std::string before = running_versions(pipeline.endpoints);
  auto stack = make_stack_backend(pipeline.stack, pipeline.run_dir);
  // Whatever happens, the fault suite's stack ends on the set it started with.
  struct Restore {
    StackBackend& stack;
    const Pipeline& pipeline;
    std::string set;
    ~Restore() {
      try {
        const auto now = load_stack_choice(pipeline.run_dir);
        if (!now || now->versions != set) stack.switch_versions(set, Progress(true));
      } catch (const std::exception& e) {
        std::cerr << "could not switch back to " << set << ": " << e.what() << "\n";
      }
    }
  } restore{*stack, pipeline, from};

  const FaultRun upgrade = switch_under_load(to);
  const std::string after = running_versions(pipeline.endpoints);
  std::cout << "[ upgrade ] " << from << " (" << before << ") -> " << to << " (" << after << ")\n";
  EXPECT_NE(after, before) << "the workers still run the old versions";
  expect_streamed_through(upgrade);

  // Debezium documents upgrades, not downgrades; this says what a downgrade does here.
  const FaultRun downgrade = switch_under_load(from);
  std::cout << "[ upgrade ] back to " << from << " (" << running_versions(pipeline.endpoints)
            << ")\n";
  expect_streamed_through(downgrade);
}

}  // namespace
}  // namespace cdc::scenarios
