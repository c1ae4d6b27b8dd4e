#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "harness/checkers/change_matcher.hpp"
#include "harness/observer/change_event.hpp"
#include "harness/workload/history.hpp"

namespace cdc {

// Where an event's time goes, from five timestamps: the client's commit return, Postgres's
// commit (source.ts_us), Debezium's processing (envelope ts_us), the Kafka record timestamp
// (milliseconds: stages touching it are ±1 ms) and the harness's receive time.
enum class Stage {
  CommitToCapture,    // source.ts_us -> envelope ts_us
  CaptureToKafka,     // envelope ts_us -> Kafka timestamp
  KafkaToConsumer,    // Kafka timestamp -> received
  EndToEnd,           // client commit return -> received
  IntendedToReceive,  // open loop: when the change was due -> received (coordinated omission shows
                      // here)
};

std::string to_string(Stage stage);
const std::vector<Stage>& all_stages();

// Exact percentiles (nearest rank) over all samples, in microseconds. Samples <= 0 happen
// when clocks of different domains disagree; they stay in the distribution and are counted.
struct StageLatency {
  size_t count = 0;
  size_t non_positive = 0;
  int64_t p50 = 0, p90 = 0, p99 = 0, p999 = 0, max = 0;
  std::vector<int64_t> samples{};  // sorted, for CDF charts
};

struct LatencySample {
  int64_t received_us = 0;
  std::map<Stage, int64_t> stages{};
};

struct LatencyReport {
  std::map<Stage, StageLatency> stages{};
  // Matched events in receive order: every one, or, past kMaxOverTime, an even thinning of
  // them (every 2nd, 4th, …), so a long run's chart costs bounded memory.
  std::vector<LatencySample> over_time{};
  size_t unmatched_events = 0;  // events that first delivered no change of the history
};

// Builds a LatencyReport one event at a time: each first delivery of a committed change,
// with the client's stamps of that change.
class LatencyRecorder {
 public:
  static constexpr size_t kMaxOverTime = 20000;

  void add(const ChangeEvent& first_delivery, int64_t commit_return_us, int64_t intended_start_us);
  void add_unmatched() { ++report_.unmatched_events; }
  LatencyReport finish() &&;

 private:
  LatencyReport report_;
  std::vector<int64_t> samples_[5];  // per Stage, by its value
  size_t seen_ = 0, stride_ = 1;     // over_time keeps every stride_-th sample
};

// Each committed history entry against the event that first delivered it (as `match`, made
// from expected_changes(history), says), every stage it can measure.
LatencyReport measure_latency(const std::vector<HistoryEntry>& history,
                              const std::vector<ChangeEvent>& observed, const Match& match);
// The same, matching first.
LatencyReport measure_latency(const std::vector<HistoryEntry>& history,
                              const std::vector<ChangeEvent>& observed);

StageLatency summarize(std::vector<int64_t> samples);

}  // namespace cdc
