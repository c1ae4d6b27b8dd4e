// The checks the e2e scenarios rely on, proven on recorded real events: they pass on the
// pipeline's true output and name each kind of defect when the events are broken.
#include "harness/checkers/event_expectations.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "scenarios/unit/recorded_events.hpp"

namespace cdc::unit {
namespace {
using nlohmann::json;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::SizeIs;

// The recorded history's first transaction (729) and transaction 731.
std::vector<Mutation> first_statements() {
  const auto all = recorded_mutations();
  return {all.begin(), all.begin() + 3};
}

std::vector<Mutation> transaction_731() {
  const auto all = recorded_mutations();
  return {all.begin() + 3, all.begin() + 6};
}

class EventExpectations : public ::testing::Test {
 protected:
  // As a scenario reads them: only what its own statements produced (offsets 4..7), the
  // snapshot reads before and the later changes to the same keys cut off.
  std::vector<ChangeEvent> all = recorded_events("customers-with-schemas.json");
  std::vector<ChangeEvent> events{all.begin() + 4, all.begin() + 8};
  std::vector<ChangeEvent> transaction{all.begin() + 8, all.begin() + 11};
  std::vector<ExpectedEvent> expected = expected_events(first_statements(), EventRules{});

  void erase_offset(int64_t offset) {
    std::erase_if(events, [&](const ChangeEvent& e) { return e.kafka.offset == offset; });
  }
};

TEST_F(EventExpectations, PassOnWhatThePipelineReallyProduced) {
  const Verdict verdict = check_events(events, expected);
  EXPECT_TRUE(verdict.ok()) << verdict.summary();
}

TEST_F(EventExpectations, NameAMissingDelete) {
  erase_offset(6);
  EXPECT_THAT(check_events(events, expected).failures,
              Contains(HasSubstr(R"(missing: no op=d event for key {"id":1002})")));
}

TEST_F(EventExpectations, NameAMissingTombstone) {
  erase_offset(7);
  EXPECT_THAT(check_events(events, expected).failures,
              Contains(HasSubstr(R"(missing: no op=tombstone event for key {"id":1002})")));
}

TEST_F(EventExpectations, NameADuplicate) {
  events.push_back(events[0]);  // the insert of 1005, delivered twice
  EXPECT_THAT(check_events(events, expected).failures,
              Contains(AllOf(HasSubstr("duplicate: op=c"), HasSubstr(R"({"id":1005})"))));
}

TEST_F(EventExpectations, NameEventsOutOfOrder) {
  std::swap(events[2], events[3]);  // tombstone before the delete
  EXPECT_THAT(
      check_events(events, expected).failures,
      Contains(HasSubstr(
          R"(out of order: key {"id":1002} expected [d, tombstone] but observed [tombstone, d])")));
}

TEST_F(EventExpectations, NameAWrongColumnValue) {
  (*events[1].after)["email"] = "someone-else@x.org";
  EXPECT_THAT(
      check_events(events, expected).failures,
      Contains(AllOf(HasSubstr("wrong after"), HasSubstr("column email"), HasSubstr("new@x.org"))));
}

TEST_F(EventExpectations, NameAMissingBeforeImage) {
  events[1].before.reset();
  EXPECT_THAT(check_events(events, expected).failures, Contains(HasSubstr("has no before image")));
}

TEST_F(EventExpectations, NameAnUnexpectedBeforeImageUnderReplicaIdentityDefault) {
  const auto default_identity = expected_events(first_statements(), EventRules{false, true});
  EXPECT_THAT(check_events(events, default_identity).failures,
              Contains(HasSubstr(R"(op=u key={"id":1001} carries a before image)")));
}

TEST_F(EventExpectations, NameAWrongTransaction) {
  events[0].source.tx_id = 1;
  EXPECT_THAT(check_events(events, expected).failures,
              Contains(HasSubstr(R"(wrong txId: op=c key={"id":1005} has txId 1, expected 729)")));
}

TEST_F(EventExpectations, NameEventsForAKeyThatShouldHaveNone) {
  events.push_back(all[2]);  // a snapshot read of 1003
  const auto failures = check_events(events, expected, {json{{"id", 1003}}}).failures;
  EXPECT_THAT(failures, Contains(HasSubstr(R"(unexpected: op=r key={"id":1003})")));
}

TEST_F(EventExpectations, ReportEveryFailureNotJustTheFirst) {
  erase_offset(4);
  erase_offset(6);
  EXPECT_THAT(check_events(events, expected).failures, SizeIs(2));
}

TEST_F(EventExpectations, AcceptSnapshotReadsOfRowsThatExistedBefore) {
  const std::vector<ExpectedEvent> reads = {
      expected_snapshot_read(customer(1003, "Edward", "Walker", "ed@walker.com")),
      expected_snapshot_read(customer(1004, "Anne", "Kretchmar", "annek@noanswer.org"))};
  const std::vector<ChangeEvent> snapshot{all.begin(), all.begin() + 4};
  EXPECT_TRUE(check_events(snapshot, reads).ok()) << check_events(snapshot, reads).summary();
}

TEST_F(EventExpectations, TransactionInCommitOrderPasses) {
  const Verdict verdict =
      check_events(transaction, expected_events(transaction_731(), EventRules{}));
  EXPECT_TRUE(verdict.ok()) << verdict.summary();
  EXPECT_TRUE(check_transaction_order(transaction, transaction_731()).ok())
      << check_transaction_order(transaction, transaction_731()).summary();
}

TEST_F(EventExpectations, TransactionOutOfCommitOrderIsNamed) {
  std::swap(transaction[0],
            transaction[1]);  // insert 1007 before insert 1006: per-key order still fine
  EXPECT_TRUE(check_events(transaction, expected_events(transaction_731(), EventRules{})).ok());
  EXPECT_THAT(check_transaction_order(transaction, transaction_731()).failures,
              Contains(HasSubstr("out of commit order: statement 1")));
}

TEST_F(EventExpectations, TransactionSplitAcrossTxIdsIsNamed) {
  transaction[1].source.tx_id = 999;
  EXPECT_THAT(check_transaction_order(transaction, transaction_731()).failures,
              Contains(HasSubstr("split transaction")));
}

}  // namespace
}  // namespace cdc::unit
