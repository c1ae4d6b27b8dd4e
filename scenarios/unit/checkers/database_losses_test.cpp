// Commits Postgres acknowledged and then lost in a crash (synchronous_commit=off), on the
// real events recorded from the pipeline: once the workload retracts them, the pipeline owes
// no event for them, the verdict names them as lost by the database, and both checks (batch
// and streaming) agree. Without the retraction the same stream is a pipeline's loss.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "harness/checkers/change_checks.hpp"
#include "harness/checkers/database_losses.hpp"
#include "harness/checkers/streaming_matcher.hpp"
#include "scenarios/anomaly_printing.hpp"
#include "scenarios/unit/checkers/same_verdict.hpp"
#include "scenarios/unit/recorded_events.hpp"

namespace cdc::unit {
namespace {
using ::testing::HasSubstr;

constexpr const char* kDurability = "synchronous_commit=off, fsync=on, full_page_writes=on";

class LostByDatabase : public ::testing::Test {
 protected:
  // The recorded changes (txId 729: 3 changes, 731: 3 changes, 732: delete 1005), committed.
  std::vector<HistoryEntry> history = [] {
    std::vector<HistoryEntry> h;
    for (const auto& c : recorded_mutations()) h.push_back(HistoryEntry{c, true, {}, 0, 0});
    return h;
  }();
  // Past the snapshot, up to `end` (exclusive): 8 ends before transaction 731.
  static std::vector<ChangeEvent> events_before(int64_t end) {
    auto all = recorded_events("customers-with-schemas.json");
    return std::vector<ChangeEvent>(all.begin() + 4, all.begin() + end);
  }
  // Postgres lost the commits of `tx_ids`: the workload records a retraction of each change.
  void retract(const std::set<int64_t>& tx_ids) {
    const auto recorded = history;
    for (const auto& entry : recorded) {
      if (!tx_ids.count(entry.change.tx_id)) continue;
      HistoryEntry lost = entry;
      lost.lost_by_database = true;
      history.push_back(lost);
    }
  }
  Verdict check(const std::vector<ChangeEvent>& events) const {
    OwedHistory owed = owed_by_pipeline(history, kDurability);
    Verdict batch = check_history(owed.entries, events);
    batch.merge(owed.lost_by_database);
    StreamingMatcher streaming(MatchRules{});
    for (const auto& entry : history) streaming.expect(entry, kDurability);
    for (const auto& event : events) streaming.observe(event);
    expect_same_verdict(streaming.finish(), batch);
    return batch;
  }
};

TEST_F(LostByDatabase, ARetractedCommitIsOwedNoEventAndNamedAsTheDatabasesLoss) {
  retract({731, 732});
  const Verdict verdict = check(events_before(8));
  EXPECT_EQ(verdict.count(AnomalyKind::LostByDatabase), 4u) << verdict.summary();
  EXPECT_EQ(verdict.anomalies.size(), 4u) << "the pipeline lost nothing Postgres kept\n"
                                          << verdict.summary();
  EXPECT_FALSE(verdict.ok()) << "an acknowledged commit was lost: the run is not correct";
  EXPECT_THAT(verdict.summary(), HasSubstr("synchronous_commit=off"));
}

TEST_F(LostByDatabase, WithoutTheRetractionTheSameStreamIsThePipelinesLoss) {
  const Verdict verdict = check(events_before(8));
  EXPECT_EQ(verdict.count(AnomalyKind::LostByDatabase), 0u) << verdict.summary();
  EXPECT_GE(verdict.count(AnomalyKind::Lost), 4u) << verdict.summary();
}

// Postgres lost a commit, yet its event came: Debezium streamed what the database then lost
// (we expect logical decoding to send only flushed WAL, so this would be a defect): a phantom.
TEST_F(LostByDatabase, AnEventOfACommitPostgresLostIsAPhantom) {
  retract({732});
  const Verdict verdict = check(events_before(13));
  EXPECT_EQ(verdict.count(AnomalyKind::LostByDatabase), 1u) << verdict.summary();
  EXPECT_EQ(verdict.count(AnomalyKind::Phantom), 2u) << "the delete and its tombstone\n"
                                                     << verdict.summary();
}

}  // namespace
}  // namespace cdc::unit
