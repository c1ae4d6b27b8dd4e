// Stopping a process: SIGTERM, a grace to exit, then SIGKILL; sooner when waiting is known to
// be pointless (a cluster's last broker, waiting for a successor that will not come).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>

#include "harness/common/process.hpp"

namespace cdc::unit {
namespace {

// A child of this test that ignores SIGTERM, as a server would that takes its time to stop.
// Returns once it ignores it.
int stubborn_child() {
  int ready[2];
  if (::pipe(ready) != 0) return -1;
  const int pid = ::fork();
  if (pid == 0) {
    ::signal(SIGTERM, SIG_IGN);
    (void)!::write(ready[1], "r", 1);
    for (;;) ::pause();
  }
  char r;
  (void)!::read(ready[0], &r, 1);
  ::close(ready[0]);
  ::close(ready[1]);
  return pid;
}

std::string own_marker() {
  return "unit_tests";  // the child's command line is this binary's
}

TEST(StopProcess, KillsOnceWaitingIsPointlessInsteadOfAtTheEndOfTheGrace) {
  const int pid = stubborn_child();
  ASSERT_GT(pid, 0);
  const auto started = std::chrono::steady_clock::now();
  int asked = 0;
  const bool graceful = stop_process(pid, own_marker(), std::chrono::seconds(30), [&] {
    return ++asked >= 3;  // pointless from the third look on
  });
  const auto took = std::chrono::steady_clock::now() - started;
  ::waitpid(pid, nullptr, 0);
  EXPECT_FALSE(graceful);
  EXPECT_LT(took, std::chrono::seconds(5));
  EXPECT_GE(asked, 3);
}

// A process that hangs past its grace is asked why (a JVM's thread dump) while it still runs.
TEST(StopProcess, AsksAHungProcessWhyBeforeTheKillAndOnlyThen) {
  const int pid = stubborn_child();
  ASSERT_GT(pid, 0);
  bool alive_when_asked = false;
  int asked = 0;
  const bool graceful = stop_process(pid, own_marker(), std::chrono::milliseconds(200), {}, [&] {
    ++asked;
    alive_when_asked = is_alive(pid, own_marker());
  });
  ::waitpid(pid, nullptr, 0);
  EXPECT_FALSE(graceful);
  EXPECT_EQ(asked, 1);
  EXPECT_TRUE(alive_when_asked);
}

TEST(StopProcess, NeitherAsksAProcessThatStoppedNorOneWhoseWaitWasPointless) {
  int asked = 0;
  const int exits = ::fork();
  if (exits == 0) {
    for (;;) ::pause();
  }
  EXPECT_TRUE(stop_process(exits, own_marker(), std::chrono::seconds(30), {}, [&] { ++asked; }));
  ::waitpid(exits, nullptr, 0);
  const int hangs = stubborn_child();
  ASSERT_GT(hangs, 0);
  EXPECT_FALSE(stop_process(
      hangs, own_marker(), std::chrono::seconds(30), [] { return true; }, [&] { ++asked; }));
  ::waitpid(hangs, nullptr, 0);
  EXPECT_EQ(asked, 0);
}

TEST(StopProcess, AProcessThatExitsOnSigtermStopsGracefully) {
  const int pid = ::fork();
  if (pid == 0) {
    for (;;) ::pause();  // SIGTERM's default ends it
  }
  const bool graceful =
      stop_process(pid, own_marker(), std::chrono::seconds(30), [] { return false; });
  ::waitpid(pid, nullptr, 0);
  EXPECT_TRUE(graceful);
}

}  // namespace
}  // namespace cdc::unit
