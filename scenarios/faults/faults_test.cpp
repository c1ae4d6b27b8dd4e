// Faults under load: each fault of the catalogue injected while an open-loop load runs on a
// stack of the fault suite's own. Nothing committed may be lost, nothing may arrive out of
// per-key order or later than the liveness bound; duplicates are counted (none are promised
// after a graceful stop).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <iostream>

#include "harness/faults/fault_catalogue.hpp"
#include "scenarios/anomaly_printing.hpp"
#include "scenarios/faults/fault_run.hpp"
#include "scenarios/faults/survived.hpp"

namespace cdc::scenarios {
namespace {

class Faults : public ::testing::TestWithParam<std::string> {};

TEST_P(Faults, UnderLoadNothingCommittedIsLostOrReordered) {
  const FaultRun run = run_fault_under_load(GetParam());
  std::cout << "[ fault ] " << run.summary() << "\n"
            << "[ fault ] " << to_json(run.record).dump() << "\n";
  expect_survived(run, 100);
}

INSTANTIATE_TEST_SUITE_P(Catalogue, Faults, ::testing::ValuesIn(fault_names()), fault_test_name);

}  // namespace
}  // namespace cdc::scenarios
