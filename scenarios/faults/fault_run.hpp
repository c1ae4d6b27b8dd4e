#pragma once
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "harness/checkers/anomaly.hpp"
#include "harness/faults/fault.hpp"
#include "harness/faults/fault_catalogue.hpp"
#include "harness/workload/load_generator.hpp"

namespace cdc::scenarios {

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

// One fault under an open-loop load: a connector of its own (derived with `change`) streams
// customers; the load runs ~9 s; the fault starts ~2.5 s in and heals ~2.5 s later; then the
// connector must stream again, and every change the load committed — in-doubt commits judged
// by Postgres's answer — is judged against the events read to a settled fence, and for
// liveness: each must be received within liveness_bound() of its commit or the heal.
FaultRun run_fault_under_load(const std::string& fault,
                              const std::function<void(nlohmann::json&)>& change = {});
// The same with a fault made for the occasion (e.g. an operator's mistake), and a load of
// the caller's shape (rate, transaction size, duration; ~9 s as above).
struct LoadShape {
  double rate = 40;
  int sessions = 2;
  int transaction_size = 2;
  std::chrono::milliseconds duration{9000};  // longer for faults that take long to inject
};
FaultRun run_fault_under_load(const std::function<Fault(const FaultTarget&)>& make,
                              const std::function<void(nlohmann::json&)>& change = {},
                              LoadShape shape = {});

}  // namespace cdc::scenarios
