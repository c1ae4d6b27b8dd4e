#include "harness/experiment/chaos.hpp"

#include "harness/common/clock.hpp"
#include "harness/experiment/experiment.hpp"
#include "harness/stack/stack_choice.hpp"

namespace cdc {

bool ChaosData::correct() const {
  return verdict.ok();  // at least once: anything but a duplicate is wrong
}

ChaosData run_chaos(StackBackend& stack, const StackEndpoints& endpoints,
                    const ConnectorConfig& base, const ChaosOptions& options,
                    const Progress& progress) {
  ChaosData data;
  data.schedule = draw_schedule(options.seed, options.faults, options.duration, options.interval);
  data.liveness_bound = options.liveness_bound;
  Experiment experiment;
  // Fresh per run: the same seed may run again on the same stack (its fence rows stay).
  experiment.tag =
      "chaos-" + options.run_id + "-" + std::to_string(options.seed) + "-" + new_run_id().substr(1);
  experiment.connector = isolated_copy(base, experiment.tag);
  experiment.load = options.load;
  experiment.load.duration = options.duration;
  experiment.schedule = data.schedule;
  experiment.liveness_bound = options.liveness_bound;
  progress.stage("chaos", "seed " + std::to_string(options.seed) + ": " +
                              std::to_string(data.schedule.size()) + " faults over " +
                              std::to_string(options.duration.count() / 1000) + " s");
  ExperimentResult result = run_experiment(stack, endpoints, experiment, progress);
  data.load = result.load;
  data.verdict = std::move(result.verdict);
  data.latency = std::move(result.latency);
  data.faults = std::move(result.faults);
  data.load_started_us = result.load_started_us;
  return data;
}

}  // namespace cdc
