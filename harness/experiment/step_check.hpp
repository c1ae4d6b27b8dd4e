#pragma once
#include <chrono>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/checkers/latency.hpp"
#include "harness/checkers/streaming_matcher.hpp"
#include "harness/common/handoff.hpp"
#include "harness/observer/fence.hpp"
#include "harness/observer/topic_observer.hpp"
#include "harness/workload/history.hpp"

namespace cdc {

class CustomersWorkload;  // the fences

// What a step's check found.
struct StepOutcome {
  Verdict verdict{};
  LatencyReport latency{};
  size_t events = 0;  // change events of the step (tombstones and fences excluded)
};

// Judges one load step while it runs, so a long run keeps per-key state, not every event and
// every change. Every `interval` the consumer writes a fence row; once it has read the fence
// and every session has recorded what it sent before the fence committed
// (History::recorded_through), every change committed before the fence is expected and every
// event before it is in hand: the events are judged and dropped, the entries handed over.
// Receive times stay exact: the consumer never blocks on the history (it checks again later)
// nor on the judging, which a thread of its own does, batch by batch in topic order.
class StepCheck {
 public:
  StepCheck(TopicObserver& observer, CustomersWorkload& fences, History& history,
            const MatchRules& rules, std::chrono::milliseconds interval = std::chrono::seconds(2));

  // Runs `load` while consuming and judging; then reads to a last fence and finishes.
  StepOutcome run(const std::function<void()>& load);
  // Reads up to a fresh fence and drops what came before it (a snapshot, an earlier step's
  // stragglers): nothing before it belongs to the next step.
  void skip_to_fence();

 private:
  void take_received();
  void poll_checkpoint();
  void write_fence();
  bool fence_received();
  void judge_to_fence();
  void await_fence_and_history(const std::string& what);
  void judge_batches();  // the judging thread

  // What the consumer hands the judging thread at each fence.
  struct Batch {
    std::vector<HistoryEntry> entries;
    std::vector<ChangeEvent> events;
  };
  Handoff<Batch> batches_;
  std::string judge_error_;  // written by the judging thread, read once it has ended

  TopicObserver& observer_;
  CustomersWorkload& fences_;
  History& history_;
  StreamingMatcher matcher_;
  std::chrono::milliseconds interval_;
  std::vector<ChangeEvent> pending_;  // received, not yet judged, in topic order
  std::set<std::string> fence_keys_;
  std::optional<FenceRow> fence_;  // the fence awaited
  int64_t fence_written_us_ = 0;
  size_t fence_at_ = 0;  // its position in pending_, once received
  bool fence_seen_ = false;
  size_t scanned_ = 0;  // pending_ searched for the fence up to here
  std::chrono::steady_clock::time_point next_fence_{};
  size_t events_ = 0;
};

}  // namespace cdc
