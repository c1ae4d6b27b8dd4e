#include "scenarios/faults/fault_run.hpp"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <vector>

#include "harness/checkers/liveness.hpp"
#include "harness/common/errors.hpp"
#include "harness/common/files.hpp"
#include "harness/common/progress.hpp"
#include "harness/common/timeouts.hpp"
#include "harness/stack/backend.hpp"
#include "scenarios/e2e/pipeline.hpp"

namespace cdc::scenarios {
using nlohmann::json;
using namespace std::chrono_literals;

std::chrono::microseconds liveness_bound() {
  return std::chrono::duration_cast<std::chrono::microseconds>(scaled(kDefaultLivenessBound));
}

std::string FaultRun::summary() const {
  char line[400];
  std::snprintf(line, sizeof line,
                "%s: %zu transactions (%zu in doubt, %zu cut off), %zu events, %zu lost, %zu "
                "duplicates, %zu stalled; worst commit->receive during the fault %.1f s, first "
                "event %.1f s after the heal",
                record.fault.c_str(), load.transactions, load.in_doubt, load.failed, events,
                verdict.count(AnomalyKind::Lost), verdict.count(AnomalyKind::Duplicate),
                verdict.count(AnomalyKind::Stall), worst_latency_s, recovery_s);
  return line;
}

namespace {

Experiment experiment_on_the_suite_stack(const std::string& tag,
                                         const std::function<void(json&)>& change,
                                         const LoadShape& shape) {
  const auto& pipeline = Pipeline::shared();
  Experiment experiment;
  experiment.tag = tag;
  experiment.connector = ScopedConnector::derive(pipeline, tag, change);
  experiment.load.rate = shape.rate;
  experiment.load.duration = shape.duration;
  experiment.load.sessions = shape.sessions;
  experiment.load.transaction_size = shape.transaction_size;
  experiment.liveness_bound = liveness_bound();
  return experiment;
}

ExperimentResult run_on_the_suite_stack(const Experiment& experiment) {
  const auto& pipeline = Pipeline::shared();
  auto stack = make_stack_backend(pipeline.stack, pipeline.run_dir);
  return run_experiment(*stack, pipeline.endpoints, experiment, Progress(true));
}

}  // namespace

FaultRun run_fault_under_load(const std::string& name, const std::function<void(json&)>& change) {
  return run_fault_under_load([&](const FaultTarget& t) { return make_fault(name, t); }, change);
}

FaultRun run_fault_under_load(const std::function<Fault(const FaultTarget&)>& make,
                              const std::function<void(json&)>& change, LoadShape shape) {
  Experiment experiment = experiment_on_the_suite_stack(unique_tag("fault"), change, shape);
  experiment.make = [&](const std::string&, const FaultTarget& t) { return make(t); };
  experiment.schedule = {ScheduledFault{"the fault", 2500ms, 2500ms}};
  const ExperimentResult result = run_on_the_suite_stack(experiment);
  const FaultOutcome& fault = result.faults.front();
  FaultRun run;
  run.verdict = result.verdict;
  run.record = fault.record;
  run.load = result.load;
  run.events = result.events;
  run.reads = result.reads;
  run.recovery_s = std::max(fault.recovery_s, 0.0);
  run.worst_latency_s = static_cast<double>(fault.worst_latency_us) / 1e6;
  return run;
}

void restart_soon_after_retriable_errors(json& config) {
  config["retriable.restart.connector.wait.ms"] = "1000";
  config["slot.retry.delay.ms"] = "1000";
}

ExperimentResult run_faults_under_load(const std::vector<std::string>& faults, LoadShape shape) {
  Experiment experiment = experiment_on_the_suite_stack(unique_tag("faults"),
                                                        restart_soon_after_retriable_errors, shape);
  for (const auto& name : faults) experiment.schedule.push_back({name, 2500ms, 2500ms});
  experiment.settled = true;
  return run_on_the_suite_stack(experiment);
}

FaultLoad load_for(const std::string& fault, FaultLoad load) {
  const char* alone = std::getenv("CDC_FAULT_ALONE");
  if (alone && std::string(alone) == "1") return {"", {fault}};
  return load;
}

namespace {

// A ctest run: its pid and start time (a reused pid starts at another time).
std::string ctest_run_of(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string field;
  for (int i = 0; i < 22 && stat >> field; ++i) {
  }
  return std::to_string(pid) + "-" + field;
}

std::string ctest_run() {
  return ctest_run_of(getppid());
}

// Removes the judgements of ctest runs that have ended: no test reads them again, and a
// stack's run directory outlives many runs.
void forget_ended_runs(const std::filesystem::path& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<fs::path> ended;
  for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator();
       it.increment(ec)) {
    const std::string name = it->path().stem().string();
    const auto at = name.rfind("-ctest-");
    if (at == std::string::npos) continue;
    const std::string run = name.substr(at + 7);  // "<pid>-<start time>"
    const int pid = std::atoi(run.c_str());
    if (pid <= 0 || ctest_run_of(pid) != run) ended.push_back(it->path());
  }
  for (const auto& path : ended) fs::remove(path, ec);
}

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

}  // namespace

json judged_once(const std::string& name, const std::function<json()>& judge) {
  namespace fs = std::filesystem;
  const auto& run_dir = Pipeline::shared().run_dir;
  const fs::path kept = (run_dir.empty() ? fs::temp_directory_path() : run_dir) / "judged" /
                        (name + "-ctest-" + ctest_run() + ".json");
  if (!name.empty() && fs::exists(kept)) return json::parse(read_file(kept));
  json out;
  try {
    out = judge();
  } catch (const std::exception& e) {
    out = {{"error", e.what()}};
  }
  if (name.empty()) return out;
  fs::create_directories(kept.parent_path());
  forget_ended_runs(kept.parent_path());
  write_file(kept, out.dump(2) + "\n");
  return out;
}

json judged_load(const FaultLoad& load, LoadShape shape) {
  return judged_once(load.name,
                     [&] { return judgement(run_faults_under_load(load.faults, shape)); });
}

}  // namespace cdc::scenarios
