#pragma once
#include <functional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/observer/event_stream.hpp"

namespace cdc {

// Reads a change topic in steps, each ending at a fence: a row committed after the changes
// of interest. A partition is in commit order: once a fence's insert is read from it, every
// change committed before the fence that went to that partition has been read too. So a
// step ends once every partition has shown a fence (fences are written, one after another,
// until their keys have covered all partitions), and an event still missing is missing, not
// late. Fence rows never appear in a step.
class FencedReader {
 public:
  // `write_fence` commits a fresh row to the observed table and returns its key; `partitions`
  // is how many the topic has.
  FencedReader(EventStream& stream, std::function<nlohmann::json()> write_fence, int partitions = 1)
      : stream_(stream), write_fence_(std::move(write_fence)), partitions_(partitions) {}

  // The events since the previous step (or the topic's start), up to a new fence.
  std::vector<ChangeEvent> next();

  // next(), then settled: also what arrives up to a second fence, written once the first was
  // read. A re-delivery that Kafka gets after the first fence (a connector replaying from
  // its last committed offset) lands there, so the checkers count it as the duplicate it is.
  std::vector<ChangeEvent> next_settled();

 private:
  // The position just past the next fence read (written after every earlier one).
  size_t read_fence(std::set<int32_t>& partitions_fenced);

  EventStream& stream_;
  std::function<nlohmann::json()> write_fence_;
  int partitions_ = 1;
  std::set<std::string> fences_;  // keys of every fence row written
  size_t consumed_ = 0;
  size_t scanned_ = 0;
  const std::vector<ChangeEvent>* events_ = nullptr;  // the stream's, as last collected
};

}  // namespace cdc
