// A fault schedule is drawn from its seed alone: the same seed replays the same run.
#include "harness/faults/schedule.hpp"

#include <gtest/gtest.h>

namespace cdc::unit {
namespace {
using namespace std::chrono_literals;

const std::vector<std::string> kFaults = {"connect-crash", "kafka-stall", "postgres-crash"};

TEST(FaultSchedule, TheSameSeedDrawsTheSameSchedule) {
  const auto a = draw_schedule(1, kFaults, 120s, 10s);
  const auto b = draw_schedule(1, kFaults, 120s, 10s);
  EXPECT_EQ(to_json(a), to_json(b));
  EXPECT_EQ(a.size(), 12u);
  EXPECT_NE(to_json(a), to_json(draw_schedule(2, kFaults, 120s, 10s)));
}

TEST(FaultSchedule, EachFaultHealsWithinItsInterval) {
  for (const auto& s : draw_schedule(7, kFaults, 60s, 5s)) {
    const auto slot = s.at / 5000ms * 5000ms;
    EXPECT_LE(s.at + s.hold, slot + 5s) << s.fault << " at " << s.at.count();
    EXPECT_GE(s.hold, 500ms);
  }
}

}  // namespace
}  // namespace cdc::unit
