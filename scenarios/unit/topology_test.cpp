// How many brokers and workers a stack runs: flags, then environment, then 1 + 1; what each
// backend accepts; and that the run directory remembers it for every later command.
#include "harness/stack/topology.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "harness/common/errors.hpp"
#include "harness/stack/stack_choice.hpp"

namespace cdc::unit {
namespace {
namespace fs = std::filesystem;
using ::testing::AllOf;
using ::testing::HasSubstr;

class TopologyChoice : public ::testing::Test {
 protected:
  void SetUp() override {
    ::unsetenv("CDC_BROKERS");
    ::unsetenv("CDC_WORKERS");
  }
  void TearDown() override { SetUp(); }
};

TEST_F(TopologyChoice, FlagsThenEnvironmentThenOneOfEach) {
  EXPECT_EQ(choose_topology("", ""), (Topology{1, 1}));
  ::setenv("CDC_BROKERS", "3", 1);
  ::setenv("CDC_WORKERS", "2", 1);
  EXPECT_EQ(choose_topology("", ""), (Topology{3, 2}));
  EXPECT_EQ(choose_topology("1", ""), (Topology{1, 2}));
  const Topology cluster{3, 2};
  EXPECT_TRUE(cluster.clustered());
  EXPECT_EQ(cluster.replication_factor(), 3);
  EXPECT_EQ(cluster.min_insync_replicas(), 2);
  EXPECT_EQ(cluster.describe(), "3 brokers, 2 Connect workers");
  EXPECT_EQ((Topology{5, 1}).replication_factor(), 3);
  EXPECT_EQ((Topology{1, 1}).min_insync_replicas(), 1);
}

TEST_F(TopologyChoice, ACountOutOfRangeIsOneLineNamingWhereItCameFrom) {
  for (const char* bad : {"0", "6", "three", "3x", "-1"}) {
    try {
      choose_topology(bad, "");
      FAIL() << "accepted --brokers " << bad;
    } catch (const HarnessError& e) {
      EXPECT_THAT(e.what(), AllOf(HasSubstr("--brokers must be a number from 1 to 5"),
                                  HasSubstr(std::string("'") + bad + "'")));
    }
  }
  ::setenv("CDC_WORKERS", "4", 1);
  try {
    choose_topology("", "");
    FAIL() << "accepted CDC_WORKERS=4";
  } catch (const HarnessError& e) {
    EXPECT_THAT(e.what(), HasSubstr("$CDC_WORKERS must be a number from 1 to 3, not '4'"));
  }
}

TEST_F(TopologyChoice, EachBackendTakesWhatItCanRun) {
  EXPECT_EQ(choose_stack("native", "", Topology{3, 2}).topology, (Topology{3, 2}));
  EXPECT_EQ(choose_stack("compose", "", Topology{3, 2}).topology, (Topology{3, 2}));
  EXPECT_THROW(choose_stack("compose", "", Topology{2, 1}), HarnessError);
  try {
    choose_stack("external", "", Topology{3, 1});
    FAIL() << "an external stack took --brokers";
  } catch (const HarnessError& e) {
    EXPECT_THAT(e.what(), HasSubstr("an external stack has what it has"));
  }
}

TEST_F(TopologyChoice, TheRunDirectoryRemembersIt) {
  const fs::path dir = fs::temp_directory_path() / ("cdc-topology-" + std::to_string(::getpid()));
  StackChoice choice = choose_stack("native", "", Topology{3, 2});
  save_stack_choice(dir, choice);
  EXPECT_EQ(load_stack_choice(dir)->topology, (Topology{3, 2}));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace cdc::unit
