#pragma once
#include <functional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/observer/event_stream.hpp"

namespace cdc {

// Reads a change topic in steps, each ending at a fence: a row committed after the changes
// of interest. A change topic has one partition, so it is in commit order: once the fence's
// insert is read, every change committed before it has been read too, and an event still
// missing is missing, not late. Fence rows never appear in a step.
class FencedReader {
 public:
  // `write_fence` commits a fresh row to the observed table and returns its key.
  FencedReader(EventStream& stream, std::function<nlohmann::json()> write_fence)
      : stream_(stream), write_fence_(std::move(write_fence)) {}

  // The events since the previous step (or the topic's start), up to a new fence.
  std::vector<ChangeEvent> next();

  // next(), then settled: also what arrives up to a second fence, written once the first was
  // read. A re-delivery that Kafka gets after the first fence (a connector replaying from
  // its last committed offset) lands there, so the checkers count it as the duplicate it is.
  std::vector<ChangeEvent> next_settled();

 private:
  EventStream& stream_;
  std::function<nlohmann::json()> write_fence_;
  std::set<std::string> fences_;  // keys of every fence row written
  size_t consumed_ = 0;
};

}  // namespace cdc
