// The history checker on the real events recorded from the pipeline, judged against the
// history that produced them: clean, it finds nothing; with one anomaly of each kind planted,
// it finds exactly that kind.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "harness/checkers/change_checks.hpp"
#include "harness/checkers/streaming_matcher.hpp"
#include "harness/checkers/transaction_metadata.hpp"
#include "scenarios/anomaly_printing.hpp"
#include "scenarios/unit/checkers/same_verdict.hpp"
#include "scenarios/unit/recorded_events.hpp"

namespace cdc::unit {
namespace {
using ::testing::Each;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

std::vector<HistoryEntry> recorded_history() {
  std::vector<HistoryEntry> history;
  for (const auto& c : recorded_mutations())
    history.push_back(HistoryEntry{c, true, std::nullopt, 0, 0});
  return history;
}

class PlantedAnomaly : public ::testing::Test {
 protected:
  std::vector<HistoryEntry> history = recorded_history();
  // As a report reads them: past the snapshot (offsets 0..3), every streamed change.
  std::vector<ChangeEvent> events = [] {
    auto all = recorded_events("customers-with-schemas.json");
    return std::vector<ChangeEvent>(all.begin() + 4, all.end());
  }();

  // The batch check, and the streaming one on the same input: every planted anomaly here is
  // also a test that both find the same.
  Verdict check(Delivery delivery = Delivery::ExactlyOnce) const {
    return check_both(MatchRules{.delivery = delivery});
  }
  Verdict check_both(const MatchRules& rules) const {
    Verdict batch = check_history(history, events, rules);
    StreamingMatcher streaming(rules);
    for (const auto& entry : history) streaming.expect(entry);
    for (const auto& event : events) streaming.observe(event);
    const Verdict streamed = streaming.finish();
    expect_same_verdict(streamed, batch);
    return batch;
  }
  // Transaction 731's three changes (offsets 8..10) with the metadata Debezium gives them
  // (total and per-table orders 1..3), and its BEGIN and END.
  std::vector<ChangeEvent> transaction_731() const {
    std::vector<ChangeEvent> tx{events.begin() + 4, events.begin() + 7};
    for (int i = 0; i < 3; ++i) {
      tx[i].transaction = TransactionRef{"731:" + std::to_string(*tx[i].source.lsn), i + 1, i + 1};
    }
    return tx;
  }
  static std::vector<TransactionMarker> markers_731() {
    return {{"BEGIN", "731:26388544", std::nullopt, {}},
            {"END", "731:26388976", 3, {{"public.customers", 3}}}};
  }
  ChangeEvent& at_offset(int64_t offset) {
    for (auto& e : events) {
      if (e.kafka.offset == offset) return e;
    }
    throw std::runtime_error("no event at offset " + std::to_string(offset));
  }
  void erase_offset(int64_t offset) {
    std::erase_if(events, [&](const ChangeEvent& e) { return e.kafka.offset == offset; });
  }
};

TEST_F(PlantedAnomaly, NoneInTheCleanHistory) {
  const auto verdict = check();
  EXPECT_THAT(verdict.anomalies, IsEmpty()) << verdict.summary();
  EXPECT_TRUE(verdict.ok());
  EXPECT_EQ(verdict.matched, history.size() + 2) << "7 changes and the tombstones of 2 deletes";
}

TEST_F(PlantedAnomaly, LostChange) {
  erase_offset(11);  // the delete of 1005, alone in transaction 732
  const auto verdict = check();
  EXPECT_THAT(verdict.kinds(), ElementsAre(AnomalyKind::Lost)) << verdict.summary();
  EXPECT_EQ(verdict.anomalies[0].key, (nlohmann::json{{"id", 1005}}));
  EXPECT_EQ(verdict.anomalies[0].op, Op::Delete);
  EXPECT_EQ(verdict.anomalies[0].tx_id, 732);
}

TEST_F(PlantedAnomaly, LostTombstone) {
  erase_offset(7);  // the tombstone after the delete of 1002
  const auto verdict = check();
  EXPECT_THAT(verdict.kinds(), ElementsAre(AnomalyKind::Lost)) << verdict.summary();
  EXPECT_EQ(verdict.anomalies[0].op, Op::Tombstone);
}

TEST_F(PlantedAnomaly, NoTombstoneIsOwedWhenTheConnectorSendsNone) {
  erase_offset(7);
  erase_offset(12);
  const auto verdict = check_both(MatchRules{.tombstones = Tombstones::None});
  EXPECT_THAT(verdict.anomalies, IsEmpty()) << verdict.summary();
}

TEST_F(PlantedAnomaly, PhantomFromARolledBackTransaction) {
  Mutation undone{
      Op::Create, {{"id", 1008}}, std::nullopt, customer(1008, "R", "B", "rb@x.org"), 733};
  history.push_back(HistoryEntry{undone, false, std::nullopt, 0, 0});
  ChangeEvent phantom = at_offset(4);
  phantom.key = {{"id", 1008}};
  phantom.after = undone.after;
  phantom.source.tx_id = 733;
  events.push_back(phantom);
  const auto verdict = check();
  EXPECT_THAT(verdict.kinds(), ElementsAre(AnomalyKind::Phantom)) << verdict.summary();
  EXPECT_THAT(verdict.anomalies[0].evidence, HasSubstr("rolled back"));
}

TEST_F(PlantedAnomaly, PhantomWithNothingBehindIt) {
  ChangeEvent extra = at_offset(5);  // a second update of 1001 nobody made
  extra.kafka.offset = 13;
  extra.source.tx_id = 740;
  events.push_back(extra);
  const auto verdict = check();
  EXPECT_THAT(verdict.kinds(), ElementsAre(AnomalyKind::Phantom)) << verdict.summary();
}

TEST_F(PlantedAnomaly, Duplicate) {
  events.push_back(at_offset(5));  // the update of 1001, delivered twice
  EXPECT_THAT(check().kinds(), ElementsAre(AnomalyKind::Duplicate)) << check().summary();
  EXPECT_FALSE(check(Delivery::ExactlyOnce).ok());
  EXPECT_TRUE(check(Delivery::AtLeastOnce).ok()) << "duplicates are legal at least once";
}

TEST_F(PlantedAnomaly, Order) {
  std::swap(at_offset(8), at_offset(10));  // 1006: the update observed before its insert
  const auto verdict = check(Delivery::AtLeastOnce);
  EXPECT_THAT(verdict.kinds(), Each(AnomalyKind::Order)) << verdict.summary();
  EXPECT_EQ(verdict.anomalies[0].key, (nlohmann::json{{"id", 1006}}));
  EXPECT_FALSE(verdict.ok()) << "out of order fails at least once too";
}

TEST_F(PlantedAnomaly, Image) {
  (*at_offset(9).after)["last_name"] = "Q";
  const auto verdict = check();
  EXPECT_THAT(verdict.kinds(), ElementsAre(AnomalyKind::Image)) << verdict.summary();
  EXPECT_THAT(verdict.anomalies[0].evidence, HasSubstr(R"(after.last_name is "Q", expected "Y")"));
}

TEST_F(PlantedAnomaly, TransactionWrongTxId) {
  at_offset(9).source.tx_id = 999;  // 1007's insert, in a transaction that never wrote it
  const auto verdict = check();
  EXPECT_THAT(verdict.kinds(), ElementsAre(AnomalyKind::Transaction)) << verdict.summary();
  EXPECT_EQ(verdict.anomalies[0].tx_id, 999);
}

TEST_F(PlantedAnomaly, TransactionPartlyObservedIsAlsoALoss) {
  erase_offset(9);  // 1007's insert, one of transaction 731's three changes
  const auto verdict = check();
  EXPECT_THAT(verdict.kinds(), ElementsAre(AnomalyKind::Lost, AnomalyKind::Transaction))
      << verdict.summary();
  EXPECT_THAT(verdict.anomalies[1].evidence, HasSubstr("transaction 731: 2 of 3 changes observed"));
}

TEST_F(PlantedAnomaly, Metadata) {
  std::vector<ChangeEvent> tx = transaction_731();
  const std::vector<TransactionMarker> markers = markers_731();
  EXPECT_THAT(check_transaction_metadata(tx, markers, 731).anomalies, IsEmpty());
  tx[2].transaction->total_order = 4;
  const auto verdict = check_transaction_metadata(tx, markers, 731);
  EXPECT_THAT(verdict.kinds(), ElementsAre(AnomalyKind::Metadata)) << verdict.summary();
}

// A snapshot read carries an xid (a blocking snapshot's, that of the signal's transaction:
// found by explore on 3.4.1) but is no part of a transaction: no metadata is owed for it.
TEST_F(PlantedAnomaly, MetadataIsNotOwedForSnapshotReads) {
  std::vector<ChangeEvent> tx = transaction_731();
  const std::vector<TransactionMarker> markers = markers_731();
  ChangeEvent read = tx[0];
  read.op = Op::Read;
  read.transaction.reset();
  tx.push_back(read);
  EXPECT_THAT(check_transaction_metadata(tx, markers, 731).anomalies, IsEmpty());
  tx.back().op = Op::Update;  // a streamed change without its block is still one
  EXPECT_FALSE(check_transaction_metadata(tx, markers, 731).ok());
}

TEST_F(PlantedAnomaly, MetadataAtLeastOnceReDeliveriesMustRepeatTheirOrders) {
  std::vector<ChangeEvent> tx = transaction_731();
  std::vector<TransactionMarker> markers = markers_731();
  // Replayed from the second event after a crash, with a second BEGIN: legal at least once.
  tx.push_back(tx[1]);
  tx.push_back(tx[2]);
  markers.insert(markers.begin() + 1, markers[0]);
  EXPECT_THAT(check_transaction_metadata(tx, markers, 731, Delivery::AtLeastOnce).anomalies,
              IsEmpty());
  EXPECT_FALSE(check_transaction_metadata(tx, markers, 731, Delivery::ExactlyOnce).ok());
  // The replay numbered afresh from 1 (debezium/dbz#633): named, at least once too.
  tx[3].transaction->total_order = 1;
  tx[4].transaction->total_order = 2;
  const auto verdict = check_transaction_metadata(tx, markers, 731, Delivery::AtLeastOnce);
  EXPECT_THAT(verdict.kinds(), ElementsAre(AnomalyKind::Metadata, AnomalyKind::Metadata))
      << verdict.summary();
  EXPECT_THAT(verdict.anomalies[0].evidence, HasSubstr("came again with total_order 1"));
}

// Rows of one COPY's WAL record share an LSN, and in a table without a primary key their key is
// null: each is still its own event, not a re-delivery of the first (found by explore on
// Debezium 3.7.1, where the harness called such a COPY's orders renumbered).
TEST_F(PlantedAnomaly, MetadataAtLeastOnceTellsRowsOfOneWalRecordApart) {
  std::vector<ChangeEvent> tx{events.begin() + 4, events.begin() + 7};  // transaction 731
  for (int i = 0; i < 3; ++i) {
    tx[i].source.lsn = 26388544;
    tx[i].key = nullptr;
    tx[i].transaction = TransactionRef{"731:26388544", i + 1, i + 1};
  }
  const std::vector<TransactionMarker> markers = {
      {"BEGIN", "731:26388544", std::nullopt, {}},
      {"END", "731:26388976", 3, {{"public.customers", 3}}}};
  ASSERT_NE(tx[0].after, tx[1].after);
  EXPECT_THAT(check_transaction_metadata(tx, markers, 731, Delivery::AtLeastOnce).anomalies,
              IsEmpty());
  tx.push_back(tx[2]);  // a re-delivery is still one
  tx.back().transaction->total_order = 1;
  EXPECT_THAT(check_transaction_metadata(tx, markers, 731, Delivery::AtLeastOnce).kinds(),
              ElementsAre(AnomalyKind::Metadata));
}

// At least once, as CockroachDB's order validator has it: what was seen may come again; what
// was never seen may not come after something newer.
TEST_F(PlantedAnomaly, AContiguousReDeliveryIsDuplicatesOnly) {
  const std::vector<ChangeEvent> replay{events.begin() + 4, events.begin() + 8};  // offsets 8..11
  events.insert(events.end(), replay.begin(), replay.end());
  const auto verdict = check(Delivery::AtLeastOnce);
  EXPECT_THAT(verdict.kinds(), ElementsAre(AnomalyKind::Duplicate, AnomalyKind::Duplicate,
                                           AnomalyKind::Duplicate, AnomalyKind::Duplicate))
      << verdict.summary();
  EXPECT_TRUE(verdict.ok());
  EXPECT_FALSE(check(Delivery::ExactlyOnce).ok());
}

TEST_F(PlantedAnomaly, AStaleVersionAfterANewerOneIsAnOrderViolationNotADuplicate) {
  // 1001 is updated again in a later transaction; its first update arrives only after that.
  Mutation again{Op::Update,
                 {{"id", 1001}},
                 customer(1001, "Sally", "Thomas", "new@x.org"),
                 customer(1001, "Sally", "Thomas", "newer@x.org"),
                 733};
  history.push_back(HistoryEntry{again, true, std::nullopt, 0, 0});
  ChangeEvent newer = at_offset(5);
  newer.before = again.before;
  newer.after = again.after;
  newer.source.tx_id = 733;
  newer.kafka.offset = 13;
  const ChangeEvent first = at_offset(5);
  erase_offset(5);
  events.push_back(newer);
  events.push_back(first);
  const auto verdict = check(Delivery::AtLeastOnce);
  EXPECT_GE(verdict.count(AnomalyKind::Order), 1u) << verdict.summary();
  EXPECT_EQ(verdict.count(AnomalyKind::Duplicate), 0u) << verdict.summary();
  EXPECT_EQ(verdict.count(AnomalyKind::Lost), 0u) << verdict.summary();
}

}  // namespace
}  // namespace cdc::unit
