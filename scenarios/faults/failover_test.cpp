// Failovers under load, on a cluster (3 brokers, 2 Connect workers; `ctest -L cluster` brings
// one up for them): a broker that leads the change topic crashes, the worker running the task
// crashes, every broker and every worker restarts in turn. They run as one settled load on
// one connector (as the catalogue does), each started once the pipeline recovered from the
// one before and judged on its own: nothing committed in its span may be lost, reordered per
// key or stalled past the liveness bound; no duplicate after a graceful restart; the recovery
// is reported. CDC_FAULT_ALONE=1 runs each alone.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/faults/failovers.hpp"
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
  const FaultLoad load = load_for(GetParam(), {"failovers", failover_fault_names()});
  // A ceiling, the load ends when the faults are done: a crash fails over within ~10 s
  // (Kafka's and Connect's session timeouts), a rolling restart takes a node at a time.
  LoadShape shape;
  shape.duration = 120s * load.faults.size();
  expect_survived(judged_load(load, shape), load, GetParam(), "failover");
}

INSTANTIATE_TEST_SUITE_P(Cluster, Failover, ::testing::ValuesIn(failover_fault_names()),
                         fault_test_name);

}  // namespace
}  // namespace cdc::scenarios
