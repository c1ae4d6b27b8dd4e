#pragma once
#include <functional>

#include "harness/observer/topic_observer.hpp"

namespace cdc {

// Runs `work` while a thread of its own receives `observer`'s events, so an event's receive
// time is when it arrived, not when somebody got round to reading it. A failure of either is
// rethrown once both have stopped.
void while_receiving(TopicObserver& observer, const std::function<void()>& work);

}  // namespace cdc
