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

namespace cdc::scenarios {
namespace {

class Faults : public ::testing::TestWithParam<std::string> {};

TEST_P(Faults, UnderLoadNothingCommittedIsLostOrReordered) {
  const FaultRun run = run_fault_under_load(GetParam());
  std::cout << "[ fault ] " << run.summary() << "\n"
            << "[ fault ] " << to_json(run.record).dump() << "\n";
  EXPECT_EQ(run.verdict.count(AnomalyKind::Lost), 0u) << run.verdict.summary();
  EXPECT_EQ(run.verdict.count(AnomalyKind::Order), 0u) << run.verdict.summary();
  EXPECT_EQ(run.verdict.count(AnomalyKind::Stall), 0u) << run.verdict.summary();
  EXPECT_TRUE(run.verdict.ok()) << run.verdict.summary();
  if (run.record.kind == FaultKind::Graceful) {
    EXPECT_EQ(run.verdict.count(AnomalyKind::Duplicate), 0u)
        << "a graceful stop commits its offsets: the task resumes exactly where it stopped";
  }
  EXPECT_GT(run.load.transactions, 100u) << "the load hardly ran";
}

std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  for (char& c : name) c = (c == '-') ? '_' : c;
  return name;
}

INSTANTIATE_TEST_SUITE_P(Catalogue, Faults, ::testing::ValuesIn(fault_names()), test_name);

}  // namespace
}  // namespace cdc::scenarios
