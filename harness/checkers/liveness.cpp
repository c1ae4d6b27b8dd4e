#include "harness/checkers/liveness.hpp"

#include <algorithm>

namespace cdc {

namespace {

// When the pipeline could carry a change committed at `at`: past every outage it falls in.
int64_t carriable_from(int64_t at, const std::vector<Outage>& sorted, std::string& held_by) {
  for (const auto& o : sorted) {
    if (at >= o.from_us && at <= o.to_us) {
      at = o.to_us;
      held_by = o.what;
    }
  }
  return at;
}

std::string seconds(int64_t us) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f s", static_cast<double>(us) / 1e6);
  return text;
}

// Where the time went: which stage held the change (Debezium, Connect's producer, the broker or
// the observer).
std::string stages(int64_t committed_us, const ChangeEvent& e) {
  std::string out = "Debezium read it ";
  out += e.ts_us ? seconds(*e.ts_us - committed_us) : std::string("(no ts_ms)");
  out += ", Kafka stamped it " + seconds(e.kafka.timestamp_ms * 1000 - committed_us);
  out += " after the commit";
  return out;
}

}  // namespace

Verdict check_liveness(const std::vector<HistoryEntry>& history,
                       const std::vector<ChangeEvent>& observed, const Match& match,
                       const std::vector<Outage>& outages, std::chrono::microseconds bound) {
  std::vector<Outage> sorted = outages;
  std::sort(sorted.begin(), sorted.end(),
            [](const Outage& a, const Outage& b) { return a.from_us < b.from_us; });
  Verdict verdict;
  verdict.delivery = Delivery::AtLeastOnce;
  const auto expected = expected_changes(history);
  for (size_t i = 0; i < expected.size() && i < match.deliveries.size(); ++i) {
    if (match.deliveries[i].empty()) continue;  // lost: the match's to say
    const auto& h = history[i];
    std::string held_by;
    const int64_t ready = carriable_from(h.commit_return_us, sorted, held_by);
    const ChangeEvent& first = observed[match.deliveries[i].front()];
    const int64_t arrived = first.kafka.received_us;
    ++verdict.matched;
    if (arrived - ready <= bound.count()) continue;
    verdict.add(
        AnomalyKind::Stall, expected[i].key, h.change.op, h.change.tx_id,
        "committed, but received " + seconds(arrived - h.commit_return_us) + " after its commit" +
            (held_by.empty() ? ""
                             : " (" + seconds(arrived - ready) + " after " + held_by + " healed)") +
            ": the liveness bound is " + seconds(bound.count()) + "; " +
            stages(h.commit_return_us, first));
  }
  return verdict;
}

}  // namespace cdc
