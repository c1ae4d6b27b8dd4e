#include "scenarios/faults/fault_run.hpp"

#include "harness/checkers/liveness.hpp"
#include "harness/common/errors.hpp"
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

ExperimentResult run_faults_under_load(const std::vector<std::string>& faults, LoadShape shape) {
  Experiment experiment = experiment_on_the_suite_stack(unique_tag("faults"), {}, shape);
  for (const auto& name : faults) experiment.schedule.push_back({name, 2500ms, 2500ms});
  experiment.settled = true;
  return run_on_the_suite_stack(experiment);
}

}  // namespace cdc::scenarios
