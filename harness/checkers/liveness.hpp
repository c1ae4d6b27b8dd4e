#pragma once
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "harness/checkers/change_matcher.hpp"
#include "harness/model/outage.hpp"
#include "harness/workload/history.hpp"

namespace cdc {

// How long after its commit (or the heal) a change may take to arrive unless told otherwise,
// before timeouts' scaling: one default for `chaos` and the fault suite.
inline constexpr std::chrono::seconds kDefaultLivenessBound{30};

// Liveness: every committed change reaches a consumer within `bound` of the moment the
// pipeline could carry it: its commit, or the heal of the outage it was committed in
// (outages that overlap or follow on extend each other). One that arrives later is a stall;
// one that never does is lost, which the match says already. Arrival is the event's receive
// time, so the events must have been consumed while the load ran (while_receiving): the
// Kafka record timestamp is the producer's, and does not see a stalled broker.
Verdict check_liveness(const std::vector<HistoryEntry>& history,
                       const std::vector<ChangeEvent>& observed, const Match& match,
                       const std::vector<Outage>& outages, std::chrono::microseconds bound);

}  // namespace cdc
