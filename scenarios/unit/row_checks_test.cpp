// Checks for the snapshot/stream boundary, rebuilt table state and transaction metadata,
// on recorded real events.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/checkers/event_expectations.hpp"
#include "harness/checkers/transaction_metadata.hpp"
#include "scenarios/unit/recorded_events.hpp"

namespace cdc::unit {
namespace {
using nlohmann::json;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::SizeIs;

class RowChecks : public ::testing::Test {
 protected:
  std::vector<ChangeEvent> all = recorded_events("customers-with-schemas.json");
  // Snapshot reads of 1001..1004, then the insert of 1005.
  std::vector<ChangeEvent> boundary{all.begin(), all.begin() + 5};
};

TEST_F(RowChecks, EachRowOnceAcceptsReadsAndCreates) {
  const Verdict verdict = check_each_row_once(boundary, {1001, 1002, 1003, 1004, 1005});
  EXPECT_TRUE(verdict.ok()) << verdict.summary();
}

TEST_F(RowChecks, EachRowOnceNamesARowSeenAsBothReadAndCreate) {
  ChangeEvent again = boundary[4];  // 1005 streamed ...
  again.op = Op::Read;              // ... and also read by the snapshot
  boundary.push_back(again);
  EXPECT_THAT(check_each_row_once(boundary, {1001, 1002, 1003, 1004, 1005}).failures,
              Contains(HasSubstr("duplicate: row id=1005 arrived 2 times, as [c, r]")));
}

TEST_F(RowChecks, EachRowOnceNamesAMissingRow) {
  EXPECT_THAT(check_each_row_once(boundary, {1001, 1006}).failures,
              Contains(HasSubstr("missing: row id=1006 arrived neither as op=r nor as op=c")));
}

TEST_F(RowChecks, TableStateFollowsUpdatesAndDeletes) {
  const auto state = table_state(all);
  // 1001..1007, less 1002 and 1005 (deleted); 1001 and 1006 were updated.
  EXPECT_THAT(state, SizeIs(5));
  EXPECT_EQ(state.at(R"({"id":1001})")["email"], "new@x.org");
  EXPECT_EQ(state.at(R"({"id":1006})")["last_name"], "Z");
  EXPECT_FALSE(state.count(R"({"id":1002})"));
}

// Transaction 731's three events with the metadata Debezium adds, and its markers.
class TransactionMetadataCheck : public RowChecks {
 protected:
  std::vector<ChangeEvent> events{all.begin() + 8, all.begin() + 11};
  std::vector<TransactionMarker> markers = {
      {"BEGIN", "731:26388544", std::nullopt, {}},
      {"END", "731:26388976", 3, {{"public.customers", 3}}},
  };
  void SetUp() override {
    for (int i = 0; i < 3; ++i) {
      events[i].transaction =
          TransactionRef{"731:" + std::to_string(*events[i].source.lsn), i + 1, i + 1};
    }
  }
};

TEST_F(TransactionMetadataCheck, PassesOnAConsistentTransaction) {
  const Verdict verdict = check_transaction_metadata(events, markers, 731);
  EXPECT_TRUE(verdict.ok()) << verdict.summary();
}

TEST_F(TransactionMetadataCheck, NamesAGapInTotalOrder) {
  events[2].transaction->total_order = 4;
  EXPECT_THAT(check_transaction_metadata(events, markers, 731).failures,
              Contains(HasSubstr("has total_order 4, expected 3")));
}

TEST_F(TransactionMetadataCheck, NamesAnEndThatCountsWrong) {
  markers[1].event_count = 4;
  EXPECT_THAT(check_transaction_metadata(events, markers, 731).failures,
              Contains(HasSubstr("END of transaction 731 counts 4 events, 3 arrived")));
}

TEST_F(TransactionMetadataCheck, NamesAMissingEnd) {
  markers.pop_back();
  EXPECT_THAT(check_transaction_metadata(events, markers, 731).failures,
              Contains(HasSubstr("has no END marker")));
}

}  // namespace
}  // namespace cdc::unit
