// Each fault of an experiment judged on its own: a change belongs to the fault in whose span
// it was committed, a re-delivery to the fault in whose span it arrived. On real events.
#include "harness/experiment/fault_outcomes.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "harness/checkers/expected_change.hpp"
#include "scenarios/anomaly_printing.hpp"
#include "scenarios/unit/recorded_events.hpp"

namespace cdc::unit {
namespace {

constexpr int64_t kSecond = 1'000'000;

// The recorded history, its transactions committed at 1 s (txId 729), 2 s (731) and 3 s (732).
std::vector<HistoryEntry> history() {
  std::vector<HistoryEntry> out;
  for (const auto& m : recorded_mutations()) {
    HistoryEntry h;
    h.change = m;
    h.commit_return_us = (m.tx_id == 729 ? 1 : m.tx_id == 731 ? 2 : 3) * kSecond;
    out.push_back(h);
  }
  return out;
}

FaultRecord fault(const std::string& name, FaultKind kind, int64_t started_us, int64_t healed_us) {
  FaultRecord r;
  r.fault = name;
  r.kind = kind;
  r.started_us = started_us;
  r.healed_us = healed_us;
  return r;
}

TEST(FaultOutcomes, ALossBelongsToItsCommitsFaultAndACopyToTheFaultItArrivedIn) {
  const auto entries = history();
  // The streamed events, each received 0.1 s after its transaction's commit.
  std::vector<ChangeEvent> events;
  for (auto e : recorded_events("customers-with-schemas.json")) {
    if (e.op == Op::Read) continue;  // the snapshot, before the experiment's load
    const int64_t tx = e.source.tx_id.value_or(0);
    int64_t committed = 0;
    for (const auto& h : entries) {
      if (h.change.tx_id == tx) committed = h.commit_return_us;
    }
    if (committed == 0) committed = events.empty() ? kSecond : events.back().kafka.received_us;
    e.kafka.received_us = committed + kSecond / 10;
    e.kafka.timestamp_ms = e.kafka.received_us / 1000;
    events.push_back(e);
  }
  // Lost: the insert of 1007 (txId 731, committed in a's span).
  const auto lost = std::find_if(events.begin(), events.end(), [](const ChangeEvent& e) {
    return e.op == Op::Create && e.key == nlohmann::json{{"id", 1007}};
  });
  ASSERT_NE(lost, events.end());
  events.erase(lost);
  // Copied: the insert of 1005 (txId 729, committed before any fault), again at 2.6 s.
  const auto first = std::find_if(events.begin(), events.end(), [](const ChangeEvent& e) {
    return e.op == Op::Create && e.key == nlohmann::json{{"id", 1005}};
  });
  ASSERT_NE(first, events.end());
  ChangeEvent copy = *first;
  copy.kafka.received_us = 2'600'000;
  copy.kafka.offset += 100;
  events.push_back(copy);

  const std::vector<FaultRecord> records = {fault("a", FaultKind::Crash, 1'500'000, 1'800'000),
                                            fault("b", FaultKind::Graceful, 2'500'000, 2'700'000)};
  const Match match = match_changes(
      expected_changes(entries), events,
      MatchRules{ReplicaIdentity::Full, Tombstones::AfterDelete, Delivery::AtLeastOnce});
  const auto outcomes = judge_faults(records, entries, events, match, match.verdict);

  ASSERT_EQ(outcomes.size(), 2u);
  EXPECT_EQ(outcomes[0].verdict.count(AnomalyKind::Lost), 1u) << outcomes[0].verdict.summary();
  EXPECT_EQ(outcomes[0].verdict.count(AnomalyKind::Duplicate), 0u);
  EXPECT_EQ(outcomes[1].verdict.count(AnomalyKind::Lost), 0u) << outcomes[1].verdict.summary();
  EXPECT_EQ(outcomes[1].verdict.count(AnomalyKind::Duplicate), 1u)
      << "a copy that arrived during b is b's, whenever its change was committed";
  EXPECT_EQ(outcomes[0].changes_committed, 3u);  // txId 731
  EXPECT_EQ(outcomes[1].changes_committed, 1u);  // txId 732
  EXPECT_EQ(outcomes[0].verdict.matched, 2u);    // 1007's insert never arrived
  EXPECT_EQ(outcomes[1].verdict.matched, 1u);
  // Recovery: from each heal to the first event Kafka got after it (2.1 s, 3.1 s).
  EXPECT_NEAR(outcomes[0].recovery_s, 0.3, 1e-6);
  EXPECT_NEAR(outcomes[1].recovery_s, 0.4, 1e-6);
}

TEST(FaultOutcomes, WithoutFaultsThereIsNothingToSplit) {
  const auto entries = history();
  const Match match = match_changes(expected_changes(entries), {}, MatchRules{});
  EXPECT_TRUE(judge_faults({}, entries, {}, match, match.verdict).empty());
}

}  // namespace
}  // namespace cdc::unit
