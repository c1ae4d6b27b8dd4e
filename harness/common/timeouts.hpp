#pragma once
#include <chrono>

namespace cdc {

// Every deadline in the harness is a base duration times one factor,
// CDC_HARNESS_TIMEOUT_SCALE (default 1), so a slow CI machine or a valgrind run
// stretches them all together instead of one by one.
double timeout_scale();

std::chrono::milliseconds scaled(std::chrono::milliseconds base);

}  // namespace cdc
