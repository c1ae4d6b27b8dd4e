// A port taken between picking and binding: the start is retried on fresh ports; any other
// failure is not.
#include "harness/stack/ports.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace cdc::unit {
namespace {
namespace fs = std::filesystem;

class PortRetry : public ::testing::Test {
 protected:
  fs::path log = fs::temp_directory_path() / ("cdc-ports-test-" + std::to_string(::getpid()));
  void TearDown() override { fs::remove(log); }
  void server_says(const std::string& line) { std::ofstream(log, std::ios::app) << line << "\n"; }
};

TEST_F(PortRetry, AStartThatLostItsPortIsRetriedOnFreshPorts) {
  server_says("an earlier run: Address already in use");  // before this start: not its trouble
  std::vector<int> attempts;
  start_on_free_ports("kafka", log, Progress(true), [&](int attempt) {
    attempts.push_back(attempt);
    if (attempt == 1) {
      server_says("java.net.BindException: Address already in use");
      throw HarnessError("the Kafka broker exited during start-up");
    }
  });
  EXPECT_EQ(attempts, (std::vector<int>{1, 2}));
}

TEST_F(PortRetry, AnyOtherFailureIsNotRetried) {
  server_says("an earlier run: could not bind IPv4 address");
  int attempts = 0;
  EXPECT_THROW(start_on_free_ports("postgres", log, Progress(true),
                                   [&](int) {
                                     ++attempts;
                                     server_says("FATAL: data directory has wrong ownership");
                                     throw HarnessError("Postgres exited during start-up");
                                   }),
               HarnessError);
  EXPECT_EQ(attempts, 1);
}

TEST_F(PortRetry, GivesUpAfterThreeAttempts) {
  int attempts = 0;
  EXPECT_THROW(start_on_free_ports("connect", log, Progress(true),
                                   [&](int) {
                                     ++attempts;
                                     server_says("could not bind: Address already in use");
                                     throw HarnessError("the worker exited during start-up");
                                   }),
               HarnessError);
  EXPECT_EQ(attempts, 3);
}

TEST(PickFreePort, NeverHandsOutAPortTwice) {
  std::set<int> ports;
  for (int i = 0; i < 50; ++i) EXPECT_TRUE(ports.insert(pick_free_port()).second);
}

}  // namespace
}  // namespace cdc::unit
