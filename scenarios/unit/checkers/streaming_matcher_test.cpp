// The streaming match against the batch one on a long synthetic run, fed as a report feeds it:
// expectations in chunks (answers out of commit order across sessions), each chunk before the
// events it explains. Clean, both find nothing; with anomalies planted, the same ones.
#include "harness/checkers/streaming_matcher.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>

#include "harness/checkers/change_checks.hpp"
#include "scenarios/anomaly_printing.hpp"
#include "scenarios/unit/checkers/same_verdict.hpp"

namespace cdc::unit {
namespace {
using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

// A run of single- and three-statement transactions on a few hundred keys, in commit order,
// and the events Debezium would send for it (a tombstone after each delete).
struct SyntheticRun {
  std::vector<HistoryEntry> history;  // in the order answers were recorded
  std::vector<ChangeEvent> events;    // in topic (commit) order
};

SyntheticRun synthetic_run(size_t transactions) {
  SyntheticRun run;
  std::mt19937 random(7);
  std::vector<int> live;
  int next_id = 1;
  int64_t lsn = 1000, offset = 0, tx = 500;
  std::vector<HistoryEntry> committed;
  for (size_t t = 0; t < transactions; ++t, ++tx) {
    const int statements = t % 5 == 0 ? 3 : 1;
    std::vector<int> touched;
    for (int s = 0; s < statements; ++s) {
      const int roll = static_cast<int>(random() % 100);
      Mutation m;
      m.tx_id = tx;
      m.commit_lsn = lsn + 10;  // read before COMMIT: the commit lies after it
      int id = 0;
      if (live.empty() || roll < 60) {
        id = next_id++;
        m.op = Op::Create;
        m.after = json{{"id", id}, {"email", "e" + std::to_string(id) + "-0"}};
        live.push_back(id);
      } else {
        const size_t at = random() % live.size();
        id = live[at];
        if (std::find(touched.begin(), touched.end(), id) != touched.end()) continue;
        m.op = roll < 90 ? Op::Update : Op::Delete;
        m.before = json{{"id", id}, {"email", "e" + std::to_string(id) + "-old"}};
        if (m.op == Op::Update) {
          m.after = json{{"id", id}, {"email", "e" + std::to_string(id) + "-" + std::to_string(t)}};
        } else {
          live.erase(live.begin() + static_cast<std::ptrdiff_t>(at));
        }
      }
      touched.push_back(id);
      m.key = json{{"id", id}};
      ChangeEvent e;
      e.op = m.op;
      e.key = m.key;
      e.after = m.after;
      e.before = m.before;
      e.source.tx_id = tx;
      e.source.lsn = ++lsn;
      e.kafka.offset = offset++;
      e.kafka.received_us = 1'000'000 + offset * 100;
      e.kafka.timestamp_ms = 1'000 + offset / 10;
      run.events.push_back(e);
      if (m.op == Op::Delete) {
        ChangeEvent tombstone;
        tombstone.op = Op::Tombstone;
        tombstone.key = m.key;
        tombstone.kafka.offset = offset++;
        run.events.push_back(tombstone);
      }
      committed.push_back(
          HistoryEntry{m, true, m.commit_lsn, 900'000 + offset * 100, 950'000 + offset * 100});
    }
    lsn += 20;
  }
  // Sessions record answers late and out of commit order, each transaction whole and in
  // statement order: shuffle transactions within windows of 40.
  std::vector<std::vector<HistoryEntry>> by_tx;
  for (auto& entry : committed) {
    if (by_tx.empty() || by_tx.back().front().change.tx_id != entry.change.tx_id)
      by_tx.emplace_back();
    by_tx.back().push_back(std::move(entry));
  }
  for (size_t from = 0; from < by_tx.size(); from += 40) {
    const auto to = static_cast<std::ptrdiff_t>(std::min(from + 40, by_tx.size()));
    std::shuffle(by_tx.begin() + static_cast<std::ptrdiff_t>(from), by_tx.begin() + to, random);
  }
  committed.clear();
  for (auto& tx_entries : by_tx) {
    for (auto& entry : tx_entries) committed.push_back(std::move(entry));
  }
  run.history = std::move(committed);
  return run;
}

// Fed as a report does: before each batch of events (a fence's worth), every change that
// committed before the batch's end, and whatever else the history holds by then.
Verdict streamed(const SyntheticRun& run, const MatchRules& rules,
                 LatencyReport* latency = nullptr) {
  StreamingMatcher matcher(rules);
  size_t expected = 0;
  std::set<int64_t> known;  // transactions expected so far
  for (size_t from = 0; from < run.events.size(); from += 100) {
    const size_t to = std::min(from + 100, run.events.size());
    std::set<int64_t> due;
    for (size_t i = 0; i < to; ++i) {
      if (run.events[i].source.tx_id) due.insert(*run.events[i].source.tx_id);
    }
    const auto all_known = [&] {
      return std::includes(known.begin(), known.end(), due.begin(), due.end());
    };
    for (size_t extra = 0; expected < run.history.size() && (!all_known() || extra++ < 20);
         ++expected) {
      matcher.expect(run.history[expected]);
      known.insert(run.history[expected].change.tx_id);
    }
    for (size_t i = from; i < to; ++i) matcher.observe(run.events[i]);
  }
  for (; expected < run.history.size(); ++expected) matcher.expect(run.history[expected]);
  Verdict verdict = matcher.finish();
  if (latency) *latency = std::move(matcher).latency();
  return verdict;
}

class StreamingMatch : public ::testing::Test {
 protected:
  SyntheticRun run = synthetic_run(3000);
  MatchRules rules{.delivery = Delivery::ExactlyOnce};

  // Both matchers, and that they agree.
  Verdict check() {
    const Verdict batch = check_history(run.history, run.events, rules);
    const Verdict stream = streamed(run, rules);
    expect_same_verdict(stream, batch);
    return stream;
  }
  size_t first_of(Op op, size_t from = 0) {
    for (size_t i = from; i < run.events.size(); ++i)
      if (run.events[i].op == op) return i;
    throw std::runtime_error("no such event");
  }
};

TEST_F(StreamingMatch, ACleanRunIsCleanWithExpectationsArrivingOutOfCommitOrder) {
  const Verdict verdict = check();
  EXPECT_THAT(verdict.anomalies, IsEmpty()) << verdict.summary();
  EXPECT_EQ(verdict.matched, run.events.size());
}

TEST_F(StreamingMatch, FindsALostChange) {
  run.events.erase(run.events.begin() + static_cast<std::ptrdiff_t>(first_of(Op::Update, 2000)));
  EXPECT_THAT(check().kinds(), ::testing::Contains(AnomalyKind::Lost));
}

TEST_F(StreamingMatch, FindsADuplicateAndCountsItAtLeastOnce) {
  run.events.push_back(run.events[first_of(Op::Update, 1000)]);
  EXPECT_THAT(check().kinds(), ElementsAre(AnomalyKind::Duplicate));
  rules.delivery = Delivery::AtLeastOnce;
  EXPECT_TRUE(check().ok());
}

TEST_F(StreamingMatch, FindsAnUpdateBeforeItsInsert) {
  // An insert and the next event of its key, swapped.
  const size_t insert = first_of(Op::Update, 1500);
  size_t earlier = insert;
  while (run.events[--earlier].key != run.events[insert].key) {
  }
  std::swap(run.events[earlier], run.events[insert]);
  EXPECT_THAT(check().kinds(), ::testing::Contains(AnomalyKind::Order));
}

TEST_F(StreamingMatch, FindsAWrongImage) {
  (*run.events[first_of(Op::Update, 2500)].after)["email"] = "wrong";
  EXPECT_THAT(check().kinds(), ElementsAre(AnomalyKind::Image));
}

TEST_F(StreamingMatch, FindsATransactionSeenInPart) {
  // The middle statement of a three-statement transaction (every fifth transaction).
  size_t at = 0;
  for (size_t i = 1; i + 1 < run.events.size(); ++i) {
    const auto tx = run.events[i].source.tx_id;
    if (tx && tx == run.events[i - 1].source.tx_id && tx == run.events[i + 1].source.tx_id &&
        run.events[i].op != Op::Delete && i > 1000) {
      at = i;
      break;
    }
  }
  ASSERT_NE(at, 0u);
  run.events.erase(run.events.begin() + static_cast<std::ptrdiff_t>(at));
  EXPECT_THAT(check().kinds(), ElementsAre(AnomalyKind::Lost, AnomalyKind::Transaction));
}

TEST_F(StreamingMatch, MeasuresTheSameLatencyAsTheBatchAndBoundsTheChartsSamples) {
  LatencyReport stream;
  streamed(run, rules, &stream);
  const LatencyReport batch = measure_latency(run.history, run.events);
  EXPECT_EQ(stream.stages.at(Stage::EndToEnd).count, batch.stages.at(Stage::EndToEnd).count);
  EXPECT_EQ(stream.stages.at(Stage::EndToEnd).p99, batch.stages.at(Stage::EndToEnd).p99);
  EXPECT_EQ(stream.unmatched_events, batch.unmatched_events);

  LatencyRecorder recorder;
  ChangeEvent e = run.events.front();
  for (int i = 0; i < 100'000; ++i) {
    e.kafka.received_us = 2'000'000 + i;
    recorder.add(e, 1'000'000, 900'000);
  }
  const LatencyReport many = std::move(recorder).finish();
  EXPECT_EQ(many.stages.at(Stage::EndToEnd).count, 100'000u) << "percentiles from every sample";
  EXPECT_LE(many.over_time.size(), LatencyRecorder::kMaxOverTime);
  EXPECT_GE(many.over_time.size(), LatencyRecorder::kMaxOverTime / 4);
  EXPECT_EQ(many.over_time.back().received_us - many.over_time.front().received_us,
            static_cast<int64_t>(many.over_time.size() - 1) *
                (many.over_time[1].received_us - many.over_time[0].received_us))
      << "evenly thinned";
}

// The run on a topic of `partitions` partitions, as a consumer sees it: each key in the
// partition its id hashes to, each partition in commit order, the partitions interleaved in
// runs of 1 to 40 events (so a transaction's statements in different partitions arrive out
// of statement order, which Kafka allows).
void partition(SyntheticRun& run, int partitions) {
  std::vector<std::vector<ChangeEvent>> queues(static_cast<size_t>(partitions));
  for (auto& e : run.events) {
    const int32_t p = e.key.at("id").get<int32_t>() % partitions;
    e.kafka.partition = p;
    e.kafka.offset = static_cast<int64_t>(queues[static_cast<size_t>(p)].size());
    queues[static_cast<size_t>(p)].push_back(e);
  }
  std::mt19937 random(11);
  std::vector<size_t> next(queues.size(), 0);
  run.events.clear();
  for (size_t q = 0, left = queues.size(); left > 0; q = (q + 1) % queues.size()) {
    auto& queue = queues[q];
    if (next[q] == queue.size()) continue;
    for (size_t n = 1 + random() % 40; n > 0 && next[q] < queue.size(); --n)
      run.events.push_back(queue[next[q]++]);
    if (next[q] == queue.size()) --left;
  }
}

TEST_F(StreamingMatch, OnAPartitionedTopicOrderIsJudgedWithinEachPartition) {
  partition(run, 3);
  const Verdict clean = check();
  EXPECT_THAT(clean.anomalies, IsEmpty()) << clean.summary();
  EXPECT_EQ(clean.matched, run.events.size());
  // The same arrival order from one partition breaks transactions' statement order: what
  // the partitions allowed above was real reordering.
  SyntheticRun one = run;
  for (auto& e : one.events) e.kafka.partition = 0;
  std::swap(one, run);
  EXPECT_THAT(check().kinds(), ::testing::Contains(AnomalyKind::Order));
  std::swap(one, run);

  // Within a partition, an update before its insert is still an order violation.
  const size_t update = first_of(Op::Update, 1500);
  size_t earlier = update;
  while (run.events[--earlier].key != run.events[update].key) {
  }
  std::swap(run.events[earlier], run.events[update]);
  EXPECT_THAT(check().kinds(), ::testing::Contains(AnomalyKind::Order));
}

TEST_F(StreamingMatch, AKeyInTwoPartitionsIsAnAnomalyOfItsOwn) {
  partition(run, 3);
  // A re-delivery of a change, but in another partition: at least once allows the copy, not
  // where it came.
  ChangeEvent copy = run.events[first_of(Op::Update, 1000)];
  copy.kafka.partition = (copy.kafka.partition + 1) % 3;
  copy.kafka.offset = 99'999;
  run.events.push_back(copy);
  rules.delivery = Delivery::AtLeastOnce;
  const Verdict verdict = check();
  EXPECT_THAT(verdict.kinds(), ElementsAre(AnomalyKind::Partition, AnomalyKind::Duplicate));
  EXPECT_FALSE(verdict.ok());
  EXPECT_THAT(verdict.anomalies.front().evidence,
              ::testing::HasSubstr("came in partition " + std::to_string(copy.kafka.partition)));
}

TEST_F(StreamingMatch, KeepsNoImagesOnceDelivered) {
  StreamingMatcher matcher(rules);
  for (const auto& entry : run.history) matcher.expect(entry);
  for (const auto& event : run.events) matcher.observe(event);
  EXPECT_EQ(matcher.transactions_held(), 0u) << "whole transactions are judged and let go";
  EXPECT_THAT(matcher.finish().anomalies, IsEmpty());
}

}  // namespace
}  // namespace cdc::unit
