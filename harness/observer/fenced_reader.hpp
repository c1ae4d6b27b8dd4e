#pragma once
#include <functional>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/observer/topic_observer.hpp"

namespace cdc {

// Reads a change topic in steps, each ending at a fence: a row committed after the changes
// of interest. A change topic has one partition, so it is in commit order: once the fence's
// insert is read, every change committed before it has been read too, and an event still
// missing is missing, not late. (A duplicate that Kafka delivers after the fence is not seen.)
class FencedReader {
 public:
  // `write_fence` commits a fresh row to the observed table and returns its key.
  FencedReader(TopicObserver& observer, std::function<nlohmann::json()> write_fence)
      : observer_(observer), write_fence_(std::move(write_fence)) {}

  // The events since the previous fence (or the topic's start), up to a new fence.
  std::vector<ChangeEvent> next();

 private:
  TopicObserver& observer_;
  std::function<nlohmann::json()> write_fence_;
  size_t consumed_ = 0;
};

}  // namespace cdc
