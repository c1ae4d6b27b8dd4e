#include "harness/checkers/liveness.hpp"

#include <gtest/gtest.h>

#include "scenarios/unit/recorded_events.hpp"

namespace cdc::unit {
namespace {
using namespace std::chrono_literals;

// The recorded insert of 1005 (txId 729), committed at `committed_us`, received at
// `received_ms`.
struct OneChange {
  std::vector<HistoryEntry> history;
  std::vector<ChangeEvent> events;
  Match match;

  OneChange(int64_t committed_us, int64_t received_ms) {
    ChangeEvent e = recorded_events("customers-with-schemas.json")[4];
    e.kafka.timestamp_ms = committed_us / 1000;  // the producer's clock: not arrival
    e.kafka.received_us = received_ms * 1000;
    history = {HistoryEntry{Mutation{Op::Create, e.key, std::nullopt, e.after, 729}, true,
                            std::nullopt, committed_us, committed_us}};
    events = {e};
    match = match_changes(expected_changes(history), events, MatchRules{});
  }
};

TEST(Liveness, AChangeWithinTheBoundOfItsCommitIsLive) {
  const OneChange c(10'000'000, 15'000);  // 5 s after its commit
  const Verdict v = check_liveness(c.history, c.events, c.match, {}, 10s);
  EXPECT_TRUE(v.ok()) << v.summary();
  EXPECT_EQ(v.matched, 1u);
}

TEST(Liveness, AChangeLaterThanTheBoundIsAStall) {
  const OneChange c(10'000'000, 25'000);  // 15 s after its commit, no fault to explain it
  const Verdict v = check_liveness(c.history, c.events, c.match, {}, 10s);
  ASSERT_EQ(v.count(AnomalyKind::Stall), 1u) << v.summary();
  EXPECT_FALSE(v.ok());
  EXPECT_NE(v.anomalies[0].evidence.find("15.0 s after its commit"), std::string::npos)
      << v.anomalies[0].evidence;
  // Where it was held: Kafka had it at once, so the broker or the reader kept it.
  EXPECT_NE(v.anomalies[0].evidence.find("Kafka stamped it 0.0 s after the commit"),
            std::string::npos)
      << v.anomalies[0].evidence;
}

TEST(Liveness, TheBoundStartsAtTheHealOfTheFaultItWasCommittedIn) {
  const OneChange c(10'000'000, 25'000);
  // Committed during a fault healed at 20 s: 5 s after the heal is live...
  EXPECT_TRUE(
      check_liveness(c.history, c.events, c.match, {{9'000'000, 20'000'000, "kafka-stall"}}, 10s)
          .ok());
  // ... and so is a chain of faults, each starting before the last healed.
  EXPECT_TRUE(check_liveness(c.history, c.events, c.match,
                             {{14'000'000, 20'000'000, "b"}, {9'000'000, 15'000'000, "a"}}, 10s)
                  .ok());
  // A fault that healed before the commit excuses nothing.
  const Verdict v =
      check_liveness(c.history, c.events, c.match, {{1'000'000, 2'000'000, "earlier"}}, 4s);
  EXPECT_EQ(v.count(AnomalyKind::Stall), 1u) << v.summary();
}

TEST(Liveness, ALostChangeIsTheMatchsToReportNotAStall) {
  OneChange c(10'000'000, 25'000);
  c.events.clear();
  c.match = match_changes(expected_changes(c.history), c.events, MatchRules{});
  EXPECT_EQ(c.match.verdict.count(AnomalyKind::Lost), 1u);
  EXPECT_TRUE(check_liveness(c.history, c.events, c.match, {}, 1s).ok());
}

}  // namespace
}  // namespace cdc::unit
