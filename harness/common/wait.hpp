#pragma once
#include <algorithm>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <type_traits>

#include "harness/common/errors.hpp"
#include "harness/common/interrupt.hpp"

namespace cdc {

// One look at the world: the value once it is ready, and a description of what was seen
// either way, so that a timeout can say what it saw last.
template <typename T>
struct Probe {
  std::optional<T> value{};
  std::string seen{};

  static Probe ready(T v, std::string seen_text = "ready") {
    return {std::move(v), std::move(seen_text)};
  }
  static Probe not_yet(std::string seen_text) { return {std::nullopt, std::move(seen_text)}; }
};

// Polls `probe` with a growing pause until it yields a value. Past `timeout` it throws a
// TimeoutError naming `what` and the last thing seen; Ctrl-C ends it at once. A probe that
// knows the wait is hopeless (a process died, a task failed) throws its own error. A cheap
// probe on the bring-up's path may look more often (`max_pause`): each pause is time lost.
template <typename F>
auto wait_for(std::string_view what, std::chrono::milliseconds timeout, F&& probe,
              std::chrono::milliseconds max_pause = std::chrono::milliseconds(500))
    -> std::decay_t<decltype(*probe().value)> {
  using clock = std::chrono::steady_clock;
  const auto deadline = clock::now() + timeout;
  auto pause = std::chrono::milliseconds(20);
  std::string last_seen = "nothing yet";
  for (;;) {
    throw_if_interrupted();
    auto result = probe();
    if (result.value) return std::move(*result.value);
    last_seen = std::move(result.seen);
    if (clock::now() >= deadline) {
      const auto seconds = std::chrono::duration<double>(timeout).count();
      throw TimeoutError("timed out after " + std::to_string(static_cast<int>(seconds + 0.5)) +
                         "s waiting for " + std::string(what) + "; last seen: " + last_seen);
    }
    std::this_thread::sleep_for(
        std::min(pause, std::chrono::duration_cast<std::chrono::milliseconds>(
                            deadline - clock::now() + std::chrono::milliseconds(1))));
    pause = std::min(pause * 3 / 2, max_pause);
  }
}

}  // namespace cdc
