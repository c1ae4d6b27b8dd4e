#pragma once
#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "harness/observer/change_event.hpp"

namespace cdc {

// Decoded change events in topic order, read on demand: a change topic (TopicObserver), or a
// scripted stream in unit tests.
class EventStream {
 public:
  virtual ~EventStream() = default;
  // Everything read so far plus whatever arrives until `done(events)` holds. Past the
  // deadline: TimeoutError naming `what` and the last events seen.
  virtual const std::vector<ChangeEvent>& collect_until(
      const std::string& what, std::chrono::milliseconds timeout,
      const std::function<bool(const std::vector<ChangeEvent>&)>& done) = 0;
};

}  // namespace cdc
