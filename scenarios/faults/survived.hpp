#pragma once
#include <gtest/gtest.h>

#include <iostream>
#include <string>

#include <nlohmann/json.hpp>

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

// The same for one fault of a load that judged several (judged_load), on the changes
// committed in its own span; and nothing wrong before the load's first fault.
inline void expect_survived(const nlohmann::json& judged, const FaultLoad& load,
                            const std::string& fault, const std::string& tag) {
  ASSERT_FALSE(judged.contains("error")) << "the load of " << nlohmann::json(load.faults).dump()
                                         << " failed: " << judged["error"].get<std::string>();
  const nlohmann::json& mine = judged["faults"].at(fault);
  const nlohmann::json& counts = mine["counts"];
  std::cout << "[ " << tag << " ] " << fault << " (" << (load.name.empty() ? "alone" : load.name)
            << ": " << nlohmann::json(load.faults).dump() << "): " << mine["changes"]
            << " changes committed in its span, " << counts["lost"] << " lost, "
            << counts["lost_by_database"] << " lost by Postgres itself, " << counts["duplicate"]
            << " duplicates, " << counts["stall"]
            << " stalled; worst commit->receive during the fault " << mine["worst_latency_s"]
            << " s, first event " << mine["recovery_s"] << " s after the heal\n[ " << tag << " ] "
            << mine["record"].dump() << "\n";
  const std::string summary = mine["summary"];
  // Postgres's own losses first: a verdict of their own, apart from the pipeline's.
  const size_t by_database = counts["lost_by_database"].get<size_t>();
  size_t by_pipeline = 0;
  for (const auto& [kind, n] : counts.items())
    if (kind != "lost_by_database" && kind != "duplicate") by_pipeline += n.get<size_t>();
  EXPECT_EQ(by_database, 0u) << "Postgres acknowledged " << by_database
                             << " changes' commits and lost them in the crash (see "
                                "synchronous_commit below); the pipeline's own anomalies: "
                             << by_pipeline << "\n"
                             << summary;
  EXPECT_EQ(counts["lost"], 0) << summary;
  EXPECT_EQ(counts["order"], 0) << summary;
  EXPECT_EQ(counts["stall"], 0) << summary;
  EXPECT_EQ(counts["partition"], 0) << summary;
  EXPECT_EQ(by_pipeline, 0u) << "the pipeline's own anomalies\n" << summary;
  if (mine["record"]["kind"] == "graceful") {
    EXPECT_EQ(counts["duplicate"], 0)
        << "a graceful fault commits its offsets: the task resumes exactly where it stopped; "
        << summary;
  }
  EXPECT_GT(mine["changes"].get<size_t>(), 100u) << "the load hardly ran during the fault";
  EXPECT_EQ(judged["before_the_faults"], 0)
      << "anomalies before the load's first fault: " << judged["whole_run"].get<std::string>();
}

// A fault's name as a test name: "connect-crash" -> "connect_crash".
inline std::string fault_test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  for (char& c : name) c = (c == '-') ? '_' : c;
  return name;
}

}  // namespace cdc::scenarios
