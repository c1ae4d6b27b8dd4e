#pragma once
#include <functional>

#include "harness/observer/topic_observer.hpp"

namespace cdc {

// Runs `work` while a thread of its own receives `observer`'s events, so an event's receive
// time is when it arrived, not when somebody got round to reading it. `after_each`, if given,
// runs on the receiving thread after each receive (to take what arrived). A failure of either
// is rethrown once both have stopped.
void while_receiving(TopicObserver& observer, const std::function<void()>& work,
                     const std::function<void()>& after_each = {});

}  // namespace cdc
