#pragma once
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/checkers/anomaly.hpp"
#include "harness/experiment/experiment.hpp"
#include "harness/faults/fault.hpp"
#include "harness/faults/fault_catalogue.hpp"
#include "harness/workload/load_generator.hpp"

namespace cdc::scenarios {

// One fault's run, as the fault scenarios assert on it.
struct FaultRun {
  Verdict verdict;  // the whole history against the settled stream, at least once
  FaultRecord record;
  LoadResult load;
  size_t events = 0;
  double recovery_s = 0;       // heal -> the first event Kafka got after it
  double worst_latency_s = 0;  // commit -> receive, of the changes committed during the fault
  size_t reads = 0;            // op=r events after the first snapshot: a snapshot taken again

  std::string summary() const;  // one line: fault, load, duplicates, recovery
};

// How late a change may be received after its commit, or after the heal of the fault it was
// committed in: 30 s (scaled by CDC_HARNESS_TIMEOUT_SCALE).
std::chrono::microseconds liveness_bound();

// Debezium restarts its task 10 s after a retriable error (`retriable.restart.connector.wait.ms`,
// its default): after a Postgres-side fault that is 10 s of nothing but waiting. The fault loads
// set 1 s, so a restart comes soon (and may meet Postgres still down, and retry); the README's
// fault table says so beside its recovery times. Likewise the wait before starting the
// replication stream again when the slot is still held (`slot.retry.delay.ms`, 10 s): a
// restarted task that resumes from a stored offset streams once to find its WAL position,
// closes that connection and streams again at once, and when the first walsender has not
// exited yet the slot is "active for PID" of its own first stream.
void restart_soon_after_retriable_errors(nlohmann::json& config);

// The load a fault runs under: rate, sessions, transaction size, and how long (~9 s: the
// fault starts ~2.5 s in and heals ~2.5 s later; longer for faults that take long to inject).
struct LoadShape {
  double rate = 40;
  int sessions = 2;
  int transaction_size = 2;
  std::chrono::milliseconds duration{9000};
};

// One fault under an open-loop load, through the experiment engine (as `chaos` runs it): a
// connector of its own (derived with `change`) streams customers while the fault is injected
// and healed; then the connector must stream again, and every change the load committed —
// in-doubt commits judged by Postgres's answer — is judged against the events read to a
// settled fence, and for liveness.
FaultRun run_fault_under_load(const std::string& fault,
                              const std::function<void(nlohmann::json&)>& change = {});
// The same with a fault made for the occasion (e.g. an operator's mistake).
FaultRun run_fault_under_load(const std::function<Fault(const FaultTarget&)>& make,
                              const std::function<void(nlohmann::json&)>& change = {},
                              LoadShape shape = {});

// Several faults of the catalogue on one connector under one load, each started once the
// pipeline has recovered from the one before, so each is judged on its own (its outcome in
// `faults`); the load lasts as long as the faults take.
ExperimentResult run_faults_under_load(const std::vector<std::string>& faults,
                                       LoadShape shape = {});

// A group of faults that one settled load judges (its tests share it), or one fault alone.
struct FaultLoad {
  std::string name;  // names the judgement kept for the ctest run: "catalogue-2", "failovers"
  std::vector<std::string> faults;
};

// The load `fault` is judged in: `load` itself, or with CDC_FAULT_ALONE=1 a load of `fault`
// alone (to rerun one fault: `CDC_FAULT_ALONE=1 ctest -R kafka_crash`).
FaultLoad load_for(const std::string& fault, FaultLoad load);

// A judgement made once per ctest run and kept (under the run directory) for the tests that
// share it: the first to ask runs `judge`, the others read what it kept. An exception
// becomes {"error": what}. An empty name: made for the caller alone, not kept.
nlohmann::json judged_once(const std::string& name, const std::function<nlohmann::json()>& judge);

// What a load's tests judge, per fault: its record, anomaly counts, changes committed in its
// span, recovery, worst latency; and the anomalies before the first fault. The first of its
// tests in a ctest run runs the load (as run_faults_under_load); the others read the
// judgement it kept. A load that failed yields {"error": why}.
nlohmann::json judged_load(const FaultLoad& load, LoadShape shape = {});

}  // namespace cdc::scenarios
