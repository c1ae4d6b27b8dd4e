// The fault catalogue under load, on a stack of the fault suite's own. The catalogue runs as
// a few loads of five faults each on one connector (the engine `chaos` runs), each fault
// started once the pipeline has recovered from the one before, and each judged on its own:
// nothing committed in its span may be lost, arrive out of per-key order or later than the
// liveness bound; no copy may arrive in a graceful fault's span. One ctest test per fault:
// the first of a load's tests to run runs the load, the others read its judgement.
// CDC_FAULT_ALONE=1 runs each fault in a load of its own instead.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>

#include "harness/common/files.hpp"
#include "harness/faults/fault_catalogue.hpp"
#include "scenarios/anomaly_printing.hpp"
#include "scenarios/e2e/pipeline.hpp"
#include "scenarios/faults/fault_run.hpp"
#include "scenarios/faults/survived.hpp"

namespace cdc::scenarios {
namespace {
using nlohmann::json;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

constexpr size_t kFaultsPerLoad = 5;

// The catalogue in loads of kFaultsPerLoad, in its own order: the load `fault` is judged in
// (numbered from 1), or `fault` alone.
std::pair<size_t, std::vector<std::string>> load_of(const std::string& fault) {
  const char* alone = std::getenv("CDC_FAULT_ALONE");
  if (alone && std::string(alone) == "1") return {0, {fault}};
  const auto names = fault_names();
  const size_t at =
      static_cast<size_t>(std::find(names.begin(), names.end(), fault) - names.begin());
  const size_t first = at / kFaultsPerLoad * kFaultsPerLoad;
  return {at / kFaultsPerLoad + 1,
          {names.begin() + static_cast<long>(first),
           names.begin() + static_cast<long>(std::min(first + kFaultsPerLoad, names.size()))}};
}

// This ctest run: its pid and start time (a reused pid starts at another time).
std::string ctest_run() {
  std::ifstream stat("/proc/" + std::to_string(getppid()) + "/stat");
  std::string field;
  for (int i = 0; i < 22 && stat >> field; ++i) {
  }
  return std::to_string(getppid()) + "-" + field;
}

// What the tests of one load judge, kept between them.
json judgement(const ExperimentResult& r) {
  json out{{"transactions", r.load.transactions}, {"faults", json::object()}};
  size_t attributed = 0;
  for (const auto& f : r.faults) {
    json counts = json::object();
    for (const auto kind : all_anomaly_kinds()) counts[to_string(kind)] = f.verdict.count(kind);
    attributed += f.verdict.anomalies.size() - f.verdict.count(AnomalyKind::Duplicate);
    out["faults"][f.record.fault] = {
        {"record", to_json(f.record)},
        {"counts", counts},
        {"ok", f.verdict.ok()},
        {"summary", f.verdict.summary().substr(0, 4000)},
        {"changes", f.changes_committed},
        {"recovery_s", f.recovery_s},
        {"worst_latency_s", static_cast<double>(f.worst_latency_us) / 1e6}};
  }
  // What no fault's span holds (committed before the first fault): a broken pipeline.
  const size_t wrong = r.verdict.anomalies.size() - r.verdict.count(AnomalyKind::Duplicate);
  out["before_the_faults"] = wrong > attributed ? wrong - attributed : 0;
  out["whole_run"] = r.verdict.summary().substr(0, 4000);
  return out;
}

json judged_load(size_t load, const std::vector<std::string>& faults) {
  const auto& run_dir = Pipeline::shared().run_dir;
  const fs::path kept = (run_dir.empty() ? fs::temp_directory_path() : run_dir) / "catalogue" /
                        ("load-" + std::to_string(load) + "-ctest-" + ctest_run() + ".json");
  if (load > 0 && fs::exists(kept)) return json::parse(read_file(kept));
  json out;
  try {
    LoadShape shape;
    shape.duration = 90s * faults.size();  // a ceiling: the load ends when the faults are done
    out = judgement(run_faults_under_load(faults, shape));
  } catch (const std::exception& e) {
    out = {{"error", e.what()}};
  }
  fs::create_directories(kept.parent_path());
  write_file(kept, out.dump(2) + "\n");
  return out;
}

class Faults : public ::testing::TestWithParam<std::string> {};

TEST_P(Faults, UnderLoadNothingCommittedIsLostOrReordered) {
  const auto [load, faults] = load_of(GetParam());
  const json judged = judged_load(load, faults);
  ASSERT_FALSE(judged.contains("error"))
      << "the load of " << json(faults).dump() << " failed: " << judged["error"].get<std::string>();
  const json& mine = judged["faults"].at(GetParam());
  const json& counts = mine["counts"];
  std::cout << "[ fault ] " << GetParam() << " (load " << load << " of " << json(faults).dump()
            << "): " << mine["changes"] << " changes committed in its span, " << counts["lost"]
            << " lost, " << counts["duplicate"] << " duplicates, " << counts["stall"]
            << " stalled; worst commit->receive during the fault " << mine["worst_latency_s"]
            << " s, first event " << mine["recovery_s"] << " s after the heal\n[ fault ] "
            << mine["record"].dump() << "\n";
  const std::string summary = mine["summary"];
  EXPECT_EQ(counts["lost"], 0) << summary;
  EXPECT_EQ(counts["order"], 0) << summary;
  EXPECT_EQ(counts["stall"], 0) << summary;
  EXPECT_EQ(counts["partition"], 0) << summary;
  EXPECT_TRUE(mine["ok"].get<bool>()) << summary;
  if (mine["record"]["kind"] == "graceful") {
    EXPECT_EQ(counts["duplicate"], 0)
        << "a graceful fault commits its offsets: the task resumes exactly where it stopped; "
        << summary;
  }
  EXPECT_GT(mine["changes"].get<size_t>(), 100u) << "the load hardly ran during the fault";
  EXPECT_EQ(judged["before_the_faults"], 0)
      << "anomalies before the load's first fault: " << judged["whole_run"].get<std::string>();
}

INSTANTIATE_TEST_SUITE_P(Catalogue, Faults, ::testing::ValuesIn(fault_names()), fault_test_name);

}  // namespace
}  // namespace cdc::scenarios
