#include "harness/checkers/latency.hpp"

#include <algorithm>
#include <cmath>

#include "harness/common/enum_names.hpp"

namespace cdc {

namespace {
// Each stage with its name in reports, in the order reports show them.
const EnumName<Stage> kStages[] = {{Stage::CommitToCapture, "commit_to_capture"},
                                   {Stage::CaptureToKafka, "capture_to_kafka"},
                                   {Stage::KafkaToConsumer, "kafka_to_consumer"},
                                   {Stage::EndToEnd, "commit_return_to_receive"},
                                   {Stage::IntendedToReceive, "intended_start_to_receive"}};
// LatencyRecorder keeps one sample vector per stage, indexed by the stage's value.
static_assert(std::size(kStages) == 5 && static_cast<size_t>(Stage::IntendedToReceive) == 4);
}  // namespace

std::string to_string(Stage stage) {
  return name_in(kStages, stage);
}

const std::vector<Stage>& all_stages() {
  static const std::vector<Stage> stages = values_in(kStages);
  return stages;
}

StageLatency summarize(std::vector<int64_t> samples) {
  StageLatency s;
  std::sort(samples.begin(), samples.end());
  s.count = samples.size();
  if (samples.empty()) return s;
  s.non_positive = static_cast<size_t>(
      std::count_if(samples.begin(), samples.end(), [](int64_t v) { return v <= 0; }));
  auto rank = [&](double p) {
    const auto index = static_cast<size_t>(std::ceil(p * static_cast<double>(samples.size()))) - 1;
    return samples[std::min(index, samples.size() - 1)];
  };
  s.p50 = rank(0.50);
  s.p90 = rank(0.90);
  s.p99 = rank(0.99);
  s.p999 = rank(0.999);
  s.max = samples.back();
  s.samples = std::move(samples);
  return s;
}

void LatencyRecorder::add(const ChangeEvent& e, int64_t commit_return_us,
                          int64_t intended_start_us) {
  std::pair<Stage, int64_t> stages[5];
  size_t n = 0;
  const int64_t kafka_us = e.kafka.timestamp_ms * 1000;
  if (e.source.ts_us && e.ts_us) stages[n++] = {Stage::CommitToCapture, *e.ts_us - *e.source.ts_us};
  if (e.ts_us && e.kafka.timestamp_ms > 0)
    stages[n++] = {Stage::CaptureToKafka, kafka_us - *e.ts_us};
  if (e.kafka.timestamp_ms > 0)
    stages[n++] = {Stage::KafkaToConsumer, e.kafka.received_us - kafka_us};
  if (commit_return_us > 0) stages[n++] = {Stage::EndToEnd, e.kafka.received_us - commit_return_us};
  if (intended_start_us > 0)
    stages[n++] = {Stage::IntendedToReceive, e.kafka.received_us - intended_start_us};
  for (size_t i = 0; i < n; ++i)
    samples_[static_cast<size_t>(stages[i].first)].push_back(stages[i].second);
  if (seen_++ % stride_ != 0) return;
  LatencySample sample{e.kafka.received_us, {stages, stages + n}};
  report_.over_time.push_back(std::move(sample));
  if (report_.over_time.size() < kMaxOverTime) return;
  // Full: keep every other sample, and from now on every other of those to come.
  std::vector<LatencySample> kept;
  kept.reserve(kMaxOverTime / 2);
  for (size_t i = 0; i < report_.over_time.size(); i += 2)
    kept.push_back(std::move(report_.over_time[i]));
  report_.over_time = std::move(kept);
  stride_ *= 2;
}

LatencyReport LatencyRecorder::finish() && {
  for (const Stage stage : all_stages()) {
    auto& values = samples_[static_cast<size_t>(stage)];
    if (!values.empty()) report_.stages[stage] = summarize(std::move(values));
  }
  return std::move(report_);
}

LatencyReport measure_latency(const std::vector<HistoryEntry>& history,
                              const std::vector<ChangeEvent>& observed, const Match& match) {
  LatencyRecorder recorder;
  std::vector<size_t> entry_at(observed.size(), history.size());
  for (size_t i = 0; i < history.size() && i < match.deliveries.size(); ++i) {
    if (history[i].committed && !match.deliveries[i].empty())
      entry_at[match.deliveries[i].front()] = i;
  }
  for (size_t at = 0; at < observed.size(); ++at) {
    const ChangeEvent& e = observed[at];
    if (e.is_tombstone()) continue;
    if (entry_at[at] == history.size()) {
      recorder.add_unmatched();  // a duplicate, or not the workload's
      continue;
    }
    const HistoryEntry& h = history[entry_at[at]];
    recorder.add(e, h.commit_return_us, h.intended_start_us);
  }
  return std::move(recorder).finish();
}

LatencyReport measure_latency(const std::vector<HistoryEntry>& history,
                              const std::vector<ChangeEvent>& observed) {
  return measure_latency(history, observed,
                         match_changes(expected_changes(history), observed,
                                       MatchRules{.delivery = Delivery::AtLeastOnce}));
}

}  // namespace cdc
