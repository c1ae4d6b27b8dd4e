#include "harness/checkers/latency.hpp"

#include <gtest/gtest.h>

#include "scenarios/unit/recorded_events.hpp"

namespace cdc::unit {
namespace {

TEST(Latency, PercentilesAreNearestRankOverAllSamples) {
  std::vector<int64_t> samples;
  for (int i = 1000; i >= 1; --i) samples.push_back(i);
  const auto s = summarize(samples);
  EXPECT_EQ(s.count, 1000u);
  EXPECT_EQ(s.p50, 500);
  EXPECT_EQ(s.p90, 900);
  EXPECT_EQ(s.p99, 990);
  EXPECT_EQ(s.p999, 999);
  EXPECT_EQ(s.max, 1000);
}

TEST(Latency, NonPositiveSamplesAreCountedNotDropped) {
  const auto s = summarize({-5, 0, 10, 20});
  EXPECT_EQ(s.count, 4u);
  EXPECT_EQ(s.non_positive, 2u);
  EXPECT_EQ(s.p50, 0);
}

TEST(Latency, EachStageComesFromItsTwoTimestamps) {
  auto events = recorded_events("customers-with-schemas.json");
  ChangeEvent e = events[4];  // insert of 1005, txId 729
  e.source.ts_us = 1'000'000;
  e.ts_us = 1'000'700;
  e.kafka.timestamp_ms = 1'002;  // 1'002'000 us
  e.kafka.received_us = 1'002'500;
  HistoryEntry h{Mutation{Op::Create, e.key, std::nullopt, e.after, 729}, true, std::nullopt,
                 999'000, 1'000'100};
  const auto report = measure_latency({h}, {e, e});  // the second copy is a duplicate
  EXPECT_EQ(report.stages.at(Stage::CommitToCapture).p50, 700);
  EXPECT_EQ(report.stages.at(Stage::CaptureToKafka).p50, 1'300);
  EXPECT_EQ(report.stages.at(Stage::KafkaToConsumer).p50, 500);
  EXPECT_EQ(report.stages.at(Stage::EndToEnd).p50, 2'400);
  EXPECT_EQ(report.stages.at(Stage::IntendedToReceive).p50, 3'500);
  EXPECT_EQ(report.unmatched_events, 1u);
}

}  // namespace
}  // namespace cdc::unit
