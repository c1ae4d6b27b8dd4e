#pragma once
#include <chrono>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/observer/event_stream.hpp"
#include "harness/observer/fence.hpp"

namespace cdc {

// Where else a fence may have gone, asked when nothing at all arrived `after` its commit
// (scaled, and again as long): given the fence and when the step began (wall clock, ms), ""
// when it went nowhere else, or a line naming where it went.
struct WhereElse {
  std::function<std::string(const FenceRow& fence, int64_t since_ms)> look{};
  std::chrono::milliseconds after{3000};
};

// Reads a change topic in steps, each ending at a fence: a row committed after the changes
// of interest. A partition is in commit order: once a fence's insert is read from it, every
// change committed before the fence that went to that partition has been read too. So a
// step ends once every partition has shown a fence (fences are written, one after another,
// until their keys have covered all partitions), and an event still missing is missing, not
// late. Fence rows never appear in a step.
//
// A fence is found by its content, so a pipeline that delivers it other than the harness
// reads it fails the step at once with the cause (PipelineMismatch): keyed by other columns
// (key_mismatch), or, when nothing arrives, written to other topics (`where_else`).
class FencedReader {
 public:
  // `write_fence` commits a fresh row to the observed table and returns it; `partitions` is
  // how many the topic has.
  FencedReader(EventStream& stream, std::function<FenceRow()> write_fence, int partitions = 1,
               WhereElse where_else = {})
      : stream_(stream),
        write_fence_(std::move(write_fence)),
        partitions_(partitions),
        where_else_(std::move(where_else)) {}

  // The events since the previous step (or the topic's start), up to a new fence.
  std::vector<ChangeEvent> next();

  // next(), then settled: also what arrives up to a second fence, written once the first was
  // read. A re-delivery that Kafka gets after the first fence (a connector replaying from
  // its last committed offset) lands there, so the checkers count it as the duplicate it is.
  std::vector<ChangeEvent> next_settled();

 private:
  // The position just past the next fence read (written after every earlier one).
  size_t read_fence(std::set<int32_t>& partitions_fenced);
  bool is_any_fence(const ChangeEvent& e) const;
  // Throws PipelineMismatch when nothing of the step came and `where_else_` finds the fence.
  void look_elsewhere(const FenceRow& fence, const std::vector<ChangeEvent>& seen);

  EventStream& stream_;
  std::function<FenceRow()> write_fence_;
  int partitions_ = 1;
  WhereElse where_else_;
  std::set<std::string> fence_keys_, fence_markers_;  // of every fence row written
  std::string marker_column_;
  int64_t step_began_ms_ = 0;
  std::chrono::steady_clock::time_point next_look_{};
  size_t consumed_ = 0;
  size_t scanned_ = 0;
  const std::vector<ChangeEvent>* events_ = nullptr;  // the stream's, as last collected
};

}  // namespace cdc
