#pragma once
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "harness/checkers/anomaly.hpp"
#include "harness/checkers/latency.hpp"
#include "harness/common/progress.hpp"
#include "harness/connector/connector_config.hpp"
#include "harness/experiment/fault_outcomes.hpp"
#include "harness/faults/fault_catalogue.hpp"
#include "harness/faults/schedule.hpp"
#include "harness/stack/backend.hpp"
#include "harness/workload/load_generator.hpp"

namespace cdc {

// One experiment: an open-loop load on a connector of its own while a nemesis injects and
// heals the scheduled faults (none, one or many). `chaos`, the fault suite and the fault
// catalogue's groups are all this.
struct Experiment {
  // Registered at the start, removed with its slot at the end: an isolated copy (its own
  // name, slot and topics), so the experiment shares the stack with anything else.
  ConnectorConfig connector{};
  LoadProfile load{};
  std::vector<ScheduledFault> schedule{};
  // Makes a scheduled fault; empty: the catalogue's (make_fault).
  std::function<Fault(const std::string& name, const FaultTarget&)> make{};
  // Settled: each fault starts only once the pipeline recovered from the one before (and
  // `settle_gap` later), and the load ends `settle_gap` after the last one settled, so every
  // fault is judged on its own; load.duration is then a ceiling. Otherwise the schedule is
  // the clock, as in production.
  bool settled = false;
  std::chrono::milliseconds settle_gap{1000};
  // How late after its commit (or the heal of its fault) a change may be received.
  std::chrono::microseconds liveness_bound{};
  std::string tag = "experiment";  // names the load's sessions and fence rows
};

struct ExperimentResult {
  LoadResult load{};
  // The whole history against the events read to a settled fence, at least once, and for
  // liveness.
  Verdict verdict{};
  LatencyReport latency{};
  std::vector<FaultOutcome> faults{};  // one per fault injected, in order
  size_t events = 0;
  size_t reads = 0;  // op=r events after the first snapshot: a snapshot taken again
  int64_t load_started_us = 0;
};

// fence (the snapshot read, an offset committed) -> load while receiving, the nemesis
// injecting and healing -> the connector streams again -> read to a settled fence -> match
// at least once, liveness, latency -> each fault's share. Every fault is made before anything
// starts: one this stack cannot inject fails here, with nothing started.
ExperimentResult run_experiment(StackBackend& stack, const StackEndpoints& endpoints,
                                const Experiment& experiment, const Progress& progress);

// The pipeline has recovered: the connector streams, and its slot has confirmed everything
// written before this call (so the events of the time before, re-deliveries included, are
// in Kafka). Debezium confirms a position only with an event: with no load running,
// `write_one` writes a change the connector captures, each round until it has.
void wait_until_caught_up(const StackEndpoints& endpoints, const ConnectorConfig& connector,
                          const std::function<void()>& write_one = {});

}  // namespace cdc
