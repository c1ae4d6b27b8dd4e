#pragma once
#include <gtest/gtest.h>

#include <string>

#include "scenarios/anomaly_printing.hpp"
#include "scenarios/faults/fault_run.hpp"

namespace cdc::scenarios {

// What every fault run must show once healed, judged at least once: nothing lost, nothing
// out of per-key order or per-partition, nothing later than the liveness bound; no
// duplicate after a graceful fault (offsets committed, leaders moved first); and a load
// that really ran.
inline void expect_survived(const FaultRun& run, size_t at_least_transactions) {
  EXPECT_EQ(run.verdict.count(AnomalyKind::Lost), 0u) << run.verdict.summary();
  EXPECT_EQ(run.verdict.count(AnomalyKind::Order), 0u) << run.verdict.summary();
  EXPECT_EQ(run.verdict.count(AnomalyKind::Stall), 0u) << run.verdict.summary();
  EXPECT_EQ(run.verdict.count(AnomalyKind::Partition), 0u) << run.verdict.summary();
  EXPECT_TRUE(run.verdict.ok()) << run.verdict.summary();
  if (run.record.kind == FaultKind::Graceful) {
    EXPECT_EQ(run.verdict.count(AnomalyKind::Duplicate), 0u)
        << "a graceful fault commits its offsets: the task resumes exactly where it stopped";
  }
  EXPECT_GT(run.load.transactions, at_least_transactions) << "the load hardly ran";
}

// A fault's name as a test name: "connect-crash" -> "connect_crash".
inline std::string fault_test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  for (char& c : name) c = (c == '-') ? '_' : c;
  return name;
}

}  // namespace cdc::scenarios
