// Failovers under load, on a cluster (3 brokers, 2 Connect workers; `ctest -L cluster` brings
// one up for them): a broker that leads the change topic crashes, the worker running the task
// crashes, every broker and every worker restarts in turn. Nothing committed may be lost,
// reordered per key or stalled past the liveness bound; duplicates are counted (none after a
// graceful restart); the recovery is reported.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <iostream>

#include "harness/faults/failovers.hpp"
#include "scenarios/anomaly_printing.hpp"
#include "scenarios/e2e/pipeline.hpp"
#include "scenarios/faults/fault_run.hpp"
#include "scenarios/faults/survived.hpp"

namespace cdc::scenarios {
namespace {
using namespace std::chrono_literals;

class Failover : public ::testing::TestWithParam<std::string> {};

TEST_P(Failover, UnderLoadNothingCommittedIsLostOrReordered) {
  const auto& pipeline = Pipeline::shared();
  if (!can_fail_over(*make_stack_backend(pipeline.stack, pipeline.run_dir))) {
    GTEST_SKIP() << "needs 3 brokers and 2 Connect workers: `ctest -L cluster` runs it on a "
                    "stack of its own";
  }
  // The load outlasts the fault: a crash fails over within ~10 s (Kafka's and Connect's
  // session timeouts), a rolling restart takes a node at a time.
  LoadShape shape;
  shape.duration = GetParam().ends_with("rolling-restart") ? 40s : 25s;
  const FaultRun run = run_fault_under_load(
      [&](const FaultTarget& t) { return make_fault(GetParam(), t); }, {}, shape);
  std::cout << "[ failover ] " << run.summary() << "\n"
            << "[ failover ] injected in "
            << static_cast<double>(run.record.in_effect_us - run.record.started_us) / 1e6 << " s; "
            << to_json(run.record).dump() << "\n";
  expect_survived(run, 300);
}

INSTANTIATE_TEST_SUITE_P(Cluster, Failover, ::testing::ValuesIn(failover_fault_names()),
                         fault_test_name);

}  // namespace
}  // namespace cdc::scenarios
