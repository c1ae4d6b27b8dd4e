#include "harness/common/wait.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/common/timeouts.hpp"

namespace cdc::unit {
namespace {
using namespace std::chrono_literals;
using ::testing::AllOf;
using ::testing::HasSubstr;

TEST(WaitFor, ReturnsTheValueOnceTheProbeHasIt) {
  int calls = 0;
  const int value = wait_for("the third call", 5s, [&] {
    return ++calls < 3 ? Probe<int>::not_yet("call " + std::to_string(calls))
                       : Probe<int>::ready(42);
  });
  EXPECT_EQ(value, 42);
  EXPECT_EQ(calls, 3);
}

TEST(WaitFor, TimeoutNamesWhatItWaitedForAndWhatItSawLast) {
  try {
    wait_for("the moon to turn blue", 100ms, [] { return Probe<bool>::not_yet("still grey"); });
    FAIL() << "no timeout";
  } catch (const TimeoutError& e) {
    EXPECT_THAT(e.what(), AllOf(HasSubstr("waiting for the moon to turn blue"),
                                HasSubstr("last seen: still grey")));
  }
}

TEST(WaitFor, AProbeThatKnowsItIsHopelessEndsTheWaitAtOnce) {
  const auto start = std::chrono::steady_clock::now();
  EXPECT_THROW(
      wait_for("a dead process", 10s, []() -> Probe<bool> { throw HarnessError("it exited"); }),
      HarnessError);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
}

TEST(Timeouts, ScaleWithOneSetting) {
  // CDC_HARNESS_TIMEOUT_SCALE is read once per process; ctest runs this without it.
  EXPECT_EQ(scaled(1500ms), std::chrono::milliseconds(static_cast<long>(1500 * timeout_scale())));
}

}  // namespace
}  // namespace cdc::unit
