#pragma once
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/checkers/anomaly.hpp"
#include "harness/checkers/latency.hpp"
#include "harness/checkers/liveness.hpp"
#include "harness/common/progress.hpp"
#include "harness/connector/connector_config.hpp"
#include "harness/experiment/fault_outcomes.hpp"
#include "harness/faults/schedule.hpp"
#include "harness/stack/backend.hpp"
#include "harness/workload/load_generator.hpp"

namespace cdc {

struct ChaosOptions {
  std::vector<std::string> faults;  // names from the catalogue
  uint64_t seed = 1;
  std::chrono::milliseconds duration{60000};
  std::chrono::milliseconds interval{10000};
  LoadProfile load{};  // rate, sessions, mix; duration is `duration`
  std::string run_id = "chaos";
  std::string stack = "native";
  // Liveness: how late after its commit (or the heal of its fault) a change may be received.
  std::chrono::milliseconds liveness_bound{kDefaultLivenessBound};
};

struct ChaosData {
  nlohmann::json metadata{};
  std::vector<ScheduledFault> schedule{};
  LoadResult load{};
  Verdict verdict{};  // at least once: duplicates counted, legal
  LatencyReport latency{};
  std::vector<FaultOutcome> faults{};
  std::string replay{};  // the command that replays the run
  int64_t load_started_us = 0;
  std::chrono::milliseconds liveness_bound{};

  // No anomaly but duplicates (legal at least once): nothing lost, invented, reordered or
  // stalled, and the connector streamed again after every fault.
  bool correct() const;
};

// A connector of its own derived from `base`; an open-loop load for the whole duration;
// the schedule drawn from the seed, each fault started and healed on time; then the whole
// history judged at least once, for liveness, and measured stage by stage.
ChaosData run_chaos(StackBackend& stack, const StackEndpoints& endpoints,
                    const ConnectorConfig& base, const ChaosOptions& options,
                    const Progress& progress);

}  // namespace cdc
