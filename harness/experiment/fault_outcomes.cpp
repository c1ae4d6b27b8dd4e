#include "harness/experiment/fault_outcomes.hpp"

#include <algorithm>
#include <map>

namespace cdc {

namespace {

// The fault whose span holds `at_us`: the last one started at or before it; -1 before all.
long fault_at(const std::vector<FaultRecord>& records, int64_t at_us) {
  for (size_t i = records.size(); i-- > 0;) {
    if (at_us >= records[i].started_us) return static_cast<long>(i);
  }
  return -1;
}

}  // namespace

std::vector<FaultOutcome> judge_faults(const std::vector<FaultRecord>& records,
                                       const std::vector<HistoryEntry>& history,
                                       const std::vector<ChangeEvent>& events, const Match& match,
                                       const Verdict& whole_run) {
  std::vector<FaultOutcome> outcomes;
  for (const auto& r : records) {
    FaultOutcome o;
    o.record = r;
    o.verdict.delivery = whole_run.delivery;
    outcomes.push_back(std::move(o));
  }
  if (outcomes.empty()) return outcomes;

  std::map<int64_t, int64_t> committed_at;  // txId -> commit return
  for (size_t i = 0; i < history.size(); ++i) {
    const auto& h = history[i];
    committed_at[h.change.tx_id] = h.commit_return_us;
    const long f = fault_at(records, h.commit_return_us);
    if (f < 0 || !h.committed) continue;
    auto& o = outcomes[static_cast<size_t>(f)];
    ++o.changes_committed;
    if (i < match.deliveries.size() && !match.deliveries[i].empty()) ++o.verdict.matched;
  }
  for (const auto& a : whole_run.anomalies) {
    if (a.kind == AnomalyKind::Duplicate || !a.tx_id) continue;
    const auto it = committed_at.find(*a.tx_id);
    if (it == committed_at.end()) continue;
    const long f = fault_at(records, it->second);
    if (f >= 0) outcomes[static_cast<size_t>(f)].verdict.anomalies.push_back(a);
  }
  // Each copy after the first, by when it arrived.
  for (size_t i = 0; i < history.size() && i < match.deliveries.size(); ++i) {
    const auto& copies = match.deliveries[i];
    for (size_t c = 1; c < copies.size(); ++c) {
      const auto& e = events[copies[c]];
      const long f = fault_at(records, e.kafka.received_us);
      if (f < 0) continue;
      const auto& h = history[i];
      outcomes[static_cast<size_t>(f)].verdict.add(
          AnomalyKind::Duplicate, h.change.key, h.change.op, h.change.tx_id,
          "delivered again (copy " + std::to_string(c + 1) + ", partition " +
              std::to_string(e.kafka.partition) + " offset " + std::to_string(e.kafka.offset) +
              ") after " + records[static_cast<size_t>(f)].fault + " started");
    }
  }

  for (size_t f = 0; f < outcomes.size(); ++f) {
    auto& o = outcomes[f];
    // Recovery: from the heal to the first event Kafka got after it.
    for (const auto& e : events) {
      const int64_t landed_us = e.kafka.timestamp_ms * 1000;
      if (landed_us < o.record.healed_us) continue;
      const double s = static_cast<double>(landed_us - o.record.healed_us) / 1e6;
      if (o.recovery_s < 0 || s < o.recovery_s) o.recovery_s = s;
    }
    // The fault's mark: the worst commit -> receive of the changes committed while it was on.
    for (size_t i = 0; i < history.size() && i < match.deliveries.size(); ++i) {
      const auto& h = history[i];
      if (match.deliveries[i].empty() || h.commit_return_us < o.record.started_us ||
          h.commit_return_us > o.record.healed_us)
        continue;
      const int64_t received_us = events[match.deliveries[i].front()].kafka.received_us;
      o.worst_latency_us = std::max(o.worst_latency_us, received_us - h.commit_return_us);
    }
  }
  return outcomes;
}

}  // namespace cdc
