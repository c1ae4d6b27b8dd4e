#pragma once
#include <cstdint>
#include <vector>

#include "harness/checkers/anomaly.hpp"
#include "harness/checkers/change_matcher.hpp"
#include "harness/faults/fault.hpp"
#include "harness/workload/history.hpp"

namespace cdc {

// What one fault of an experiment did to the pipeline, judged on its own.
struct FaultOutcome {
  FaultRecord record{};
  // The anomalies that fall in the fault's span (its start to the next fault's start): a
  // change committed in it, or a duplicate delivered in it.
  Verdict verdict{};
  size_t changes_committed = 0;  // in its span: the load the fault was judged under
  double recovery_s = -1;        // heal -> the first event Kafka got after it (-1: none)
  int64_t worst_latency_us = 0;  // commit return -> receive, of changes committed while it was on
};

// Splits a run's judgement among its faults (records in start order). A change belongs to the
// fault in whose span it was committed; a duplicate to the fault in whose span the copy
// arrived, since a re-delivery is the work of whatever restarted the task then. Anomalies of
// changes committed before the first fault belong to none (the whole-run verdict has them).
std::vector<FaultOutcome> judge_faults(const std::vector<FaultRecord>& records,
                                       const std::vector<HistoryEntry>& history,
                                       const std::vector<ChangeEvent>& events, const Match& match,
                                       const Verdict& whole_run);

}  // namespace cdc
