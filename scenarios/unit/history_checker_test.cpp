// The history checker on crafted histories: the real events recorded from the pipeline,
// judged against the history that produced them, with one anomaly planted at a time.
#include "harness/checkers/history_checker.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "scenarios/unit/recorded_events.hpp"

namespace cdc {
// Readable anomaly kinds in gtest's failure output.
inline void PrintTo(AnomalyKind kind, std::ostream* out) {
  *out << to_string(kind);
}
}  // namespace cdc

namespace cdc::unit {
namespace {
using nlohmann::json;
using ::testing::HasSubstr;

std::vector<HistoryEntry> recorded_history() {
  std::vector<HistoryEntry> history;
  for (const auto& c : recorded_mutations())
    history.push_back(HistoryEntry{c, true, std::nullopt, 0, 0});
  return history;
}

std::multiset<AnomalyKind> kinds(const HistoryVerdict& verdict) {
  std::multiset<AnomalyKind> out;
  for (const auto& a : verdict.anomalies) out.insert(a.kind);
  return out;
}

class HistoryChecker : public ::testing::Test {
 protected:
  std::vector<HistoryEntry> history = recorded_history();
  std::vector<ChangeEvent> events = recorded_events("customers-with-schemas.json");

  HistoryVerdict check() const { return check_history(history, events); }
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

TEST_F(HistoryChecker, ACleanHistoryHasNoAnomaly) {
  const auto verdict = check();
  EXPECT_TRUE(verdict.anomalies.empty()) << verdict.summary();
  EXPECT_EQ(verdict.matched, history.size());
}

TEST_F(HistoryChecker, FlagsALostChange) {
  erase_offset(11);  // the delete of 1005, alone in transaction 732
  const auto verdict = check();
  EXPECT_EQ(kinds(verdict), (std::multiset<AnomalyKind>{AnomalyKind::Lost})) << verdict.summary();
  EXPECT_THAT(verdict.anomalies[0].evidence,
              HasSubstr(R"(op=d key={"id":1005} txId=732 was committed)"));
}

TEST_F(HistoryChecker, FlagsAPhantomFromARolledBackTransaction) {
  Mutation undone{
      Op::Create, {{"id", 1008}}, std::nullopt, customer(1008, "R", "B", "rb@x.org"), 733};
  history.push_back(HistoryEntry{undone, false, std::nullopt, 0, 0});
  ChangeEvent phantom = events[4];
  phantom.key = {{"id", 1008}};
  phantom.after = undone.after;
  phantom.source.tx_id = 733;
  events.push_back(phantom);
  const auto verdict = check();
  EXPECT_EQ(kinds(verdict), (std::multiset<AnomalyKind>{AnomalyKind::Phantom}))
      << verdict.summary();
  EXPECT_THAT(verdict.anomalies[0].evidence, HasSubstr("rolled back"));
}

TEST_F(HistoryChecker, FlagsADuplicate) {
  events.push_back(at_offset(5));  // the update of 1001, delivered twice
  const auto verdict = check();
  EXPECT_EQ(kinds(verdict), (std::multiset<AnomalyKind>{AnomalyKind::Duplicate}))
      << verdict.summary();
  EXPECT_TRUE(verdict.ok(true)) << "duplicates are legal at least once";
  EXPECT_FALSE(verdict.ok(false));
}

TEST_F(HistoryChecker, FlagsPerKeyOrder) {
  std::swap(at_offset(8), at_offset(10));  // 1006: the update observed before its insert
  const auto verdict = check();
  EXPECT_EQ(kinds(verdict), (std::multiset<AnomalyKind>{AnomalyKind::Order})) << verdict.summary();
  EXPECT_THAT(verdict.anomalies[0].evidence, HasSubstr(R"(key {"id":1006})"));
}

TEST_F(HistoryChecker, FlagsAWrongImage) {
  (*at_offset(9).after)["last_name"] = "Q";
  const auto verdict = check();
  EXPECT_EQ(kinds(verdict), (std::multiset<AnomalyKind>{AnomalyKind::Image})) << verdict.summary();
  EXPECT_THAT(verdict.anomalies[0].evidence,
              HasSubstr(R"(after.last_name is "Q", history says "Y")"));
}

// A partly observed transaction is also a loss: both are named.
TEST_F(HistoryChecker, FlagsAPartlyObservedTransaction) {
  erase_offset(9);  // 1007's insert, one of transaction 731's three changes
  const auto verdict = check();
  EXPECT_EQ(kinds(verdict),
            (std::multiset<AnomalyKind>{AnomalyKind::Lost, AnomalyKind::Transaction}))
      << verdict.summary();
  EXPECT_EQ(verdict.count(AnomalyKind::Transaction), 1u);
  EXPECT_THAT(verdict.summary(), HasSubstr("transaction 731: 2 of 3 changes observed"));
}

}  // namespace
}  // namespace cdc::unit
