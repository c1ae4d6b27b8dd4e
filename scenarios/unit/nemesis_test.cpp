// Faults as values and the nemesis that injects them, with faults that only write down what
// was done to them.
#include "harness/faults/nemesis.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "harness/common/clock.hpp"
#include "harness/common/errors.hpp"

namespace cdc::unit {
namespace {
using namespace std::chrono_literals;
using ::testing::ElementsAre;

Fault recording(const std::string& name, FaultKind kind, std::vector<std::string>& log) {
  return Fault{name, "writes down what was done", kind,
               [&log, name] { log.push_back("start " + name); },
               [&log, name] { log.push_back("heal " + name); }};
}

TEST(Faults, ComposedStartInOrderAndHealInReverseAndCrashIfAnyIs) {
  std::vector<std::string> log;
  const Fault both = combined(
      "both", {recording("a", FaultKind::Graceful, log), recording("b", FaultKind::Crash, log)});
  EXPECT_EQ(both.kind, FaultKind::Crash);
  both.start();
  both.heal();
  EXPECT_THAT(log, ElementsAre("start a", "start b", "heal b", "heal a"));
  EXPECT_EQ(combined("g", {recording("a", FaultKind::Graceful, log)}).kind, FaultKind::Graceful);
}

TEST(Nemesis, InjectsEachFaultOnScheduleAndRecordsItsTimesAndPositions) {
  std::vector<std::string> log;
  int positions_asked = 0;
  Nemesis nemesis(
      {{ScheduledFault{"a", 10ms, 30ms}, recording("a", FaultKind::Crash, log)},
       {ScheduledFault{"b", 60ms, 20ms}, recording("b", FaultKind::Graceful, log)}},
      [&] {
        return nlohmann::json{{"asked", ++positions_asked}};
      },
      Progress(true));
  const int64_t begin_us = now_us();  // no later than the schedule's own start below
  nemesis.start(std::chrono::steady_clock::now());
  const auto records = nemesis.join();
  EXPECT_THAT(log, ElementsAre("start a", "heal a", "start b", "heal b"));
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].fault, "a");
  EXPECT_EQ(records[1].kind, FaultKind::Graceful);
  EXPECT_EQ(records[0].before["asked"], 1);
  for (const auto& r : records) {
    EXPECT_LE(r.started_us, r.in_effect_us);
    EXPECT_LE(r.healing_us, r.healed_us);
  }
  // Each is held until its time plus its hold, measured from the schedule's start: a thread
  // that wakes late starts a fault late, and its hold is then shorter (b was held 13.5 ms of its
  // 20 ms beside a busy e2e suite), never ends it early.
  EXPECT_GE(records[0].started_us - begin_us, 10'000);
  EXPECT_GE(records[0].healing_us - begin_us, 40'000) << "a was not held";
  EXPECT_GE(records[1].started_us - begin_us, 60'000);
  EXPECT_GE(records[1].healing_us - begin_us, 80'000) << "b was not held";
  EXPECT_GE(records[1].started_us, records[0].healed_us);
  EXPECT_EQ(outages_of(records).size(), 2u);
}

TEST(Nemesis, AFaultThatFailsFailsTheSchedule) {
  Fault broken{"broken", "throws", FaultKind::Crash,
               [] { throw HarnessError("no walsender to terminate"); }, [] {}};
  Nemesis nemesis(
      {{ScheduledFault{"broken", 0ms, 0ms}, broken}}, [] { return nlohmann::json{}; },
      Progress(true));
  nemesis.start(std::chrono::steady_clock::now());
  try {
    nemesis.join();
    FAIL() << "join() should rethrow";
  } catch (const HarnessError& e) {
    EXPECT_THAT(e.what(), ::testing::HasSubstr("no walsender to terminate"));
  }
}

TEST(Nemesis, StoppedEarlyItHealsWhatIsOnAndStartsNothingMore) {
  std::vector<std::string> log;
  std::atomic<bool> on{false};
  Fault a = recording("a", FaultKind::Crash, log);
  a.start = [&] {
    log.push_back("start a");
    on = true;
  };
  {
    Nemesis nemesis(
        {{ScheduledFault{"a", 0ms, 10s}, a},
         {ScheduledFault{"b", 20s, 1s}, recording("b", FaultKind::Crash, log)}},
        [] { return nlohmann::json{}; }, Progress(true));
    nemesis.start(std::chrono::steady_clock::now());
    while (!on) std::this_thread::yield();
  }  // the load failed: the nemesis goes out of scope long before its schedule ends
  EXPECT_THAT(log, ElementsAre("start a", "heal a"));
}

TEST(Nemesis, SettledEachFaultWaitsForThePipelineToCatchUpAndThenTheGap) {
  std::vector<std::string> log;
  int done = 0;
  Nemesis nemesis(
      {{ScheduledFault{"a", 0ms, 5ms}, recording("a", FaultKind::Crash, log)},
       {ScheduledFault{"b", 0ms, 5ms}, recording("b", FaultKind::Crash, log)}},
      [] {
        return nlohmann::json{{"at", now_us()}};
      },
      Progress(true),
      Settling{[&] {
                 std::this_thread::sleep_for(30ms);  // a pipeline that takes 30 ms to recover
                 log.push_back("settled");
               },
               40ms},
      [&] { ++done; });
  nemesis.start(std::chrono::steady_clock::now());
  const auto records = nemesis.join();
  EXPECT_THAT(log, ElementsAre("start a", "heal a", "settled", "start b", "heal b", "settled"));
  ASSERT_EQ(records.size(), 2u);
  // b waits for a's recovery (30 ms) and the gap (40 ms), though scheduled at 0.
  EXPECT_GE(records[1].started_us - records[0].healed_us, 65'000);
  EXPECT_GT(records[0].after["at"].get<int64_t>(), records[0].healed_us)
      << "positions once settled";
  EXPECT_EQ(done, 1);
}

}  // namespace
}  // namespace cdc::unit
