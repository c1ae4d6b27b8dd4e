// The expectations scenarios write, matched against recorded real events: they pass on the
// pipeline's true output and name each defect by its kind when the events are broken.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "harness/checkers/change_checks.hpp"
#include "harness/checkers/streaming_matcher.hpp"
#include "scenarios/anomaly_printing.hpp"
#include "scenarios/unit/checkers/same_verdict.hpp"
#include "scenarios/unit/recorded_events.hpp"

namespace cdc::unit {
namespace {
using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

// The recorded history's first transaction (729) and transaction 731.
std::vector<Mutation> first_statements() {
  const auto all = recorded_mutations();
  return {all.begin(), all.begin() + 3};
}

std::vector<Mutation> transaction_731() {
  const auto all = recorded_mutations();
  return {all.begin() + 3, all.begin() + 6};
}

class ChangeMatcher : public ::testing::Test {
 protected:
  // As a scenario reads them: only what its own statements produced (offsets 4..7), the
  // snapshot reads before and the later changes to the same keys cut off.
  std::vector<ChangeEvent> all = recorded_events("customers-with-schemas.json");
  std::vector<ChangeEvent> events{all.begin() + 4, all.begin() + 8};
  std::vector<ChangeEvent> transaction{all.begin() + 8, all.begin() + 11};
  std::vector<ExpectedChange> expected = expected_changes(first_statements());

  // The batch match, checked against the streaming one on the same input.
  Verdict check(const MatchRules& rules = {}) const {
    Verdict batch = check_events(events, expected, rules);
    StreamingMatcher streaming(rules);
    for (const auto& change : expected) streaming.expect(change);
    for (const auto& event : events) streaming.observe(event);
    const Verdict streamed = streaming.finish();
    expect_same_verdict(streamed, batch);
    return batch;
  }
  void erase_offset(int64_t offset) {
    std::erase_if(events, [&](const ChangeEvent& e) { return e.kafka.offset == offset; });
  }
};

TEST_F(ChangeMatcher, PassesOnWhatThePipelineReallyProduced) {
  EXPECT_THAT(check().anomalies, IsEmpty()) << check().summary();
}

TEST_F(ChangeMatcher, TheBuilderSaysTheSameAsTheWorkloadsMutations) {
  const json old_1001 = customer(1001, "Sally", "Thomas", "sally.thomas@acme.com");
  const std::vector<ExpectedChange> by_hand = {
      expect::create({{"id", 1005}}).with_after(customer(1005, "A", "B", "ab@x.org")),
      expect::update({{"id", 1001}})
          .with_before(old_1001)
          .with_after(customer(1001, "Sally", "Thomas", "new@x.org"))
          .in_transaction(729),
      expect::remove({{"id", 1002}}),
  };
  EXPECT_THAT(check_events(events, by_hand).anomalies, IsEmpty());
}

TEST_F(ChangeMatcher, AMissingDeleteIsLostAndLeavesItsTransactionPartial) {
  erase_offset(6);
  EXPECT_THAT(check().kinds(), ElementsAre(AnomalyKind::Lost, AnomalyKind::Transaction))
      << check().summary();
  EXPECT_EQ(check().anomalies[0].op, Op::Delete);
}

TEST_F(ChangeMatcher, AMissingTombstoneIsLost) {
  erase_offset(7);
  EXPECT_THAT(check().kinds(), ElementsAre(AnomalyKind::Lost));
  EXPECT_EQ(check().anomalies[0].op, Op::Tombstone);
}

TEST_F(ChangeMatcher, ATombstoneWhereNoneIsSentIsAPhantom) {
  EXPECT_THAT(check(MatchRules{.tombstones = Tombstones::None}).kinds(),
              ElementsAre(AnomalyKind::Phantom));
}

TEST_F(ChangeMatcher, ADuplicateIsNamedAndFailsExactlyOnce) {
  events.push_back(events[0]);  // the insert of 1005, delivered twice
  EXPECT_THAT(check().kinds(), ElementsAre(AnomalyKind::Duplicate));
  EXPECT_EQ(check().anomalies[0].key, (json{{"id", 1005}}));
  EXPECT_FALSE(check().ok());
  EXPECT_TRUE(check(MatchRules{.delivery = Delivery::AtLeastOnce}).ok());
}

TEST_F(ChangeMatcher, ATombstoneBeforeItsDeleteIsOutOfOrder) {
  std::swap(events[2], events[3]);
  EXPECT_THAT(check().kinds(), ElementsAre(AnomalyKind::Order)) << check().summary();
  EXPECT_EQ(check().anomalies[0].key, (json{{"id", 1002}}));
}

TEST_F(ChangeMatcher, AWrongColumnValueIsAnImageAnomalyNamingTheColumn) {
  (*events[1].after)["email"] = "someone-else@x.org";
  EXPECT_THAT(check().kinds(), ElementsAre(AnomalyKind::Image));
  EXPECT_THAT(check().anomalies[0].evidence, HasSubstr("after.email"));
}

TEST_F(ChangeMatcher, AMissingBeforeImageUnderFullIsAnImageAnomaly) {
  events[1].before.reset();
  EXPECT_THAT(check().kinds(), ElementsAre(AnomalyKind::Image));
  EXPECT_THAT(check().anomalies[0].evidence, HasSubstr("has no before image"));
}

TEST_F(ChangeMatcher, ABeforeImageOnAnUpdateUnderDefaultIsAnImageAnomaly) {
  // Under DEFAULT an update has no before image and a delete's holds the key: the recorded
  // (FULL) update has one too many.
  const auto verdict = check(MatchRules{.identity = ReplicaIdentity::Default});
  EXPECT_THAT(verdict.kinds(), ElementsAre(AnomalyKind::Image)) << verdict.summary();
  EXPECT_EQ(verdict.anomalies[0].op, Op::Update);
}

TEST_F(ChangeMatcher, AChangeInTheWrongTransactionIsATransactionAnomaly) {
  events[0].source.tx_id = 1;
  EXPECT_THAT(check().kinds(), ElementsAre(AnomalyKind::Transaction)) << check().summary();
}

TEST_F(ChangeMatcher, AnEventOfARolledBackChangeIsAPhantom) {
  events.push_back(all[2]);  // a snapshot read of 1003
  expected.push_back(expect::read({{"id", 1003}}).rolled_back());
  EXPECT_THAT(check().kinds(), ElementsAre(AnomalyKind::Phantom));
}

TEST_F(ChangeMatcher, EventsOfKeysNobodyExpectedAreNotJudged) {
  events.push_back(all[2]);
  EXPECT_THAT(check().anomalies, IsEmpty());
}

TEST_F(ChangeMatcher, EveryAnomalyIsReportedNotJustTheFirst) {
  erase_offset(4);
  erase_offset(6);
  EXPECT_THAT(check().kinds(),
              ElementsAre(AnomalyKind::Lost, AnomalyKind::Lost, AnomalyKind::Transaction));
}

TEST_F(ChangeMatcher, SnapshotReadsOfRowsThatExistedBefore) {
  const std::vector<ExpectedChange> reads = {
      expect::snapshot_of(customer(1003, "Edward", "Walker", "ed@walker.com")),
      expect::snapshot_of(customer(1004, "Anne", "Kretchmar", "annek@noanswer.org"))};
  const std::vector<ChangeEvent> snapshot{all.begin(), all.begin() + 4};
  EXPECT_THAT(check_events(snapshot, reads).anomalies, IsEmpty());
}

TEST_F(ChangeMatcher, ATransactionInStatementOrderPasses) {
  EXPECT_THAT(check_events(transaction, expected_changes(transaction_731())).anomalies, IsEmpty());
}

TEST_F(ChangeMatcher, AStatementBeforeAnEarlierOneOfAnotherKeyIsOutOfOrder) {
  std::swap(transaction[0], transaction[1]);  // insert 1007 before insert 1006
  const auto verdict = check_events(transaction, expected_changes(transaction_731()));
  EXPECT_THAT(verdict.kinds(), ElementsAre(AnomalyKind::Order)) << verdict.summary();
  EXPECT_EQ(verdict.anomalies[0].key, (json{{"id", 1007}}));
}

TEST_F(ChangeMatcher, EachRowOnceAcceptsReadsAndCreates) {
  const std::vector<ChangeEvent> boundary{all.begin(), all.begin() + 5};
  EXPECT_THAT(check_each_row_once(boundary, {1001, 1002, 1003, 1004, 1005}).anomalies, IsEmpty());
}

TEST_F(ChangeMatcher, EachRowOnceNamesARowSeenAsBothReadAndCreate) {
  std::vector<ChangeEvent> boundary{all.begin(), all.begin() + 5};
  ChangeEvent again = boundary[4];  // 1005 streamed ...
  again.op = Op::Read;              // ... and also read by the snapshot
  boundary.push_back(again);
  EXPECT_THAT(check_each_row_once(boundary, {1001, 1002, 1003, 1004, 1005}).kinds(),
              ElementsAre(AnomalyKind::Duplicate));
}

TEST_F(ChangeMatcher, EachRowOnceNamesAMissingRow) {
  const std::vector<ChangeEvent> boundary{all.begin(), all.begin() + 5};
  EXPECT_THAT(check_each_row_once(boundary, {1001, 1006}).kinds(),
              UnorderedElementsAre(AnomalyKind::Lost));
}

TEST_F(ChangeMatcher, TableStateFollowsUpdatesAndDeletes) {
  const auto state = table_state(all);
  // 1001..1007, less 1002 and 1005 (deleted); 1001 and 1006 were updated.
  EXPECT_EQ(state.size(), 5u);
  EXPECT_EQ(state.at(R"({"id":1001})")["email"], "new@x.org");
  EXPECT_EQ(state.at(R"({"id":1006})")["last_name"], "Z");
  EXPECT_FALSE(state.count(R"({"id":1002})"));
}

}  // namespace
}  // namespace cdc::unit
