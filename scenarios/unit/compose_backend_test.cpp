// The compose backend against a stand-in `docker` on PATH (scenarios/unit/stand_in/docker),
// which records every command line and answers as Docker would: the command lines, the
// wait for health, and what happens when Docker is missing, down, or a service never gets
// healthy. (The real compose stack runs in GitHub Actions.)
#include "harness/stack/compose/compose_stack.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <cstdlib>
#include <thread>

#include "harness/common/errors.hpp"
#include "harness/common/files.hpp"
#include "harness/common/interrupt.hpp"
#include "harness/stack/compose/docker_compose.hpp"
#include "harness/stack/version_sets.hpp"

namespace cdc::unit {
namespace {
namespace fs = std::filesystem;
using namespace std::chrono_literals;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

class ComposeBackend : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("cdc-compose-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    saved_path_ = std::getenv("PATH") ? std::getenv("PATH") : "";
    use_docker_from(fs::path(CDC_SOURCE_DIR) / "scenarios" / "unit" / "stand_in");
    ::setenv("STAND_IN_DOCKER_LOG", (dir_ / "docker-calls").c_str(), 1);
    mode("healthy");
  }
  void TearDown() override {
    ::setenv("PATH", saved_path_.c_str(), 1);
    ::unsetenv("STAND_IN_DOCKER_MODE");
    fs::remove_all(dir_);
  }

  // Only `bin` on PATH (not /usr/bin, where a real docker may be; the stand-in needs only
  // /bin/sh and its builtins).
  void use_docker_from(const fs::path& bin) { ::setenv("PATH", bin.c_str(), 1); }
  void mode(const char* name) { ::setenv("STAND_IN_DOCKER_MODE", name, 1); }

  StackChoice choice(const std::string& run_id = "rtest001") const {
    return StackChoice{StackKind::Compose, run_id,
                       fs::path(CDC_SOURCE_DIR) / "compose" / "docker-compose.yml"};
  }
  std::unique_ptr<StackBackend> backend(const std::string& run_id = "rtest001",
                                        std::chrono::milliseconds health = 2s) const {
    return compose::make_compose_backend(dir_ / run_id, choice(run_id), health);
  }
  std::vector<std::string> calls() const {
    std::vector<std::string> lines;
    if (!fs::exists(dir_ / "docker-calls")) return lines;
    std::istringstream in(read_file(dir_ / "docker-calls"));
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
  }
  std::string compose_prefix(const std::string& run_id = "rtest001") const {
    return "compose -p cdc-harness-" + run_id + " -f " + choice(run_id).config.string() + " ";
  }

  fs::path dir_;
  std::string saved_path_;
};

TEST_F(ComposeBackend, UpStartsAProjectOfItsOwnAndWaitsUntilEveryServiceIsHealthy) {
  const auto stack = backend();
  const StackEndpoints endpoints = stack->up(Progress(true));

  EXPECT_THAT(calls(), Contains(compose_prefix() + "up --detach --quiet-pull"));
  EXPECT_THAT(calls(), Contains(compose_prefix() + "ps --all --format json"));
  EXPECT_EQ(endpoints.admin.host, "127.0.0.1");
  EXPECT_EQ(endpoints.app.user, "cdc_app");
  EXPECT_EQ(endpoints.debezium.user, "debezium");
  EXPECT_THAT(endpoints.kafka_bootstrap, StartsWith("127.0.0.1:"));
  EXPECT_THAT(endpoints.connect_url, StartsWith("http://127.0.0.1:"));
  // The ports compose publishes are the ones the endpoints name, handed over in its env.
  EXPECT_THAT(read_file(dir_ / "docker-calls.env"),
              AllOf(HasSubstr("CDC_PG_PORT=" + std::to_string(endpoints.app.port)),
                    HasSubstr("CDC_KAFKA_PORT=" + endpoints.kafka_bootstrap.substr(10)),
                    HasSubstr("CDC_CONNECT_PORT=" + endpoints.connect_url.substr(17))));
  // Passwords go through the environment, never on a command line or into docker.log.
  for (const auto& line : calls()) EXPECT_THAT(line, Not(HasSubstr(endpoints.app.password)));
  EXPECT_THAT(read_file(dir_ / "rtest001" / "logs" / "docker.log"),
              Not(HasSubstr(endpoints.debezium.password)));
  EXPECT_TRUE(stack->has_leftovers());
  for (const auto& component : stack->status()) EXPECT_TRUE(component.running) << component.name;
  stack->down(Progress(true));
}

TEST_F(ComposeBackend, ActsOnOneServiceWithComposesOwnVerbs) {
  const auto stack = backend();
  stack->up(Progress(true));
  stack->act_on(Component::Connect, ComponentAction::Kill, Progress(true));
  stack->act_on(Component::Connect, ComponentAction::Start, Progress(true));
  stack->act_on(Component::Kafka, ComponentAction::Pause, Progress(true));
  stack->act_on(Component::Kafka, ComponentAction::Resume, Progress(true));
  stack->act_on(Component::Postgres, ComponentAction::Stop, Progress(true));
  for (const char* call :
       {"kill connect", "start connect", "pause kafka", "unpause kafka", "stop postgres"}) {
    EXPECT_THAT(calls(), Contains(compose_prefix() + call));
  }
  stack->down(Progress(true));
}

// A version set's releases become the images' tags (the compose file reads them); without
// one, the default set's.
TEST_F(ComposeBackend, TheVersionSetTagsTheImages) {
  for (const auto& set : version_sets()) {
    StackChoice on_set = choice();
    on_set.versions = set.name;
    const auto stack = compose::make_compose_backend(dir_ / set.name, on_set, 2s);
    stack->up(Progress(true));
    EXPECT_THAT(read_file(dir_ / "docker-calls.env"),
                AllOf(HasSubstr("CDC_DEBEZIUM_VERSION=" + set.debezium + "\n"),
                      HasSubstr("CDC_KAFKA_VERSION=" + set.kafka + "\n")))
        << set.name;
    stack->down(Progress(true));
  }
  const auto stack = backend();
  stack->up(Progress(true));
  EXPECT_THAT(
      read_file(dir_ / "docker-calls.env"),
      HasSubstr("CDC_DEBEZIUM_VERSION=" + version_set_named(default_version_set()).debezium));
  stack->down(Progress(true));
}

// --brokers 3 --workers 2: the cluster profile (compose/cluster.env), a host port per broker
// and worker, and every later command with the profile on, so compose sees all services.
TEST_F(ComposeBackend, AClusterRunsTheClusterProfileWithAPortPerBrokerAndWorker) {
  StackChoice cluster = choice();
  cluster.topology = Topology{3, 2};
  const auto stack = compose::make_compose_backend(dir_ / "rtest001", cluster, 2s);
  const StackEndpoints endpoints = stack->up(Progress(true));

  EXPECT_EQ(std::count(endpoints.kafka_bootstrap.begin(), endpoints.kafka_bootstrap.end(), ','), 2)
      << endpoints.kafka_bootstrap;
  const std::string env = read_file(dir_ / "docker-calls.env");
  EXPECT_THAT(
      env, AllOf(HasSubstr("COMPOSE_PROFILES=cluster"), HasSubstr("CDC_REPLICAS=3"),
                 HasSubstr("CDC_KAFKA_VOTERS=1@kafka:9093,2@kafka-2:9093,3@kafka-3:9093"),
                 HasSubstr("CDC_KAFKA_PORT_3=" + endpoints.kafka_bootstrap.substr(
                                                     endpoints.kafka_bootstrap.rfind(':') + 1))));
  std::vector<std::string> names;
  for (const auto& component : stack->status()) {
    names.push_back(component.name);
    EXPECT_TRUE(component.running) << component.name;
  }
  EXPECT_THAT(names, ::testing::ElementsAre("postgres", "kafka", "kafka-2", "kafka-3", "connect",
                                            "connect-2"));
  EXPECT_EQ(stack->nodes(Component::Kafka), 3);
  EXPECT_EQ(stack->nodes(Component::Connect), 2);
  stack->act_on_node(Component::Kafka, 3, ComponentAction::Kill, Progress(true));
  stack->act_on_node(Component::Connect, 2, ComponentAction::Stop, Progress(true));
  EXPECT_THAT(calls(), Contains(compose_prefix() + "kill kafka-3"));
  EXPECT_THAT(calls(), Contains(compose_prefix() + "stop connect-2"));
  EXPECT_THROW(stack->act_on_node(Component::Kafka, 4, ComponentAction::Kill, Progress(true)),
               HarnessError);
  stack->down(Progress(true));
  EXPECT_FALSE(stack->has_leftovers());
}

TEST_F(ComposeBackend, DownSavesEachServicesLogThenRemovesTheProjectWithItsVolumes) {
  const auto stack = backend();
  stack->up(Progress(true));
  stack->down(Progress(true));
  EXPECT_THAT(calls(), Contains(compose_prefix() + "down --volumes --remove-orphans --timeout 10"));
  for (const char* service : {"postgres", "kafka", "connect"}) {
    EXPECT_THAT(read_file(dir_ / "rtest001" / "logs" / (std::string(service) + ".log")),
                HasSubstr("log line"));
  }
  EXPECT_FALSE(stack->has_leftovers());
  EXPECT_FALSE(fs::exists(dir_ / "rtest001" / "endpoints.json"));
  const auto before = calls().size();
  stack->down(Progress(true));  // idempotent: nothing recorded, nothing run
  EXPECT_EQ(calls().size(), before);
}

TEST_F(ComposeBackend, ParallelRunsGetTheirOwnProjectAndPorts) {
  const auto first = backend("rfirst01");
  const auto second = backend("rsecond1");
  const auto a = first->up(Progress(true));
  const auto b = second->up(Progress(true));
  EXPECT_THAT(calls(), Contains(compose_prefix("rfirst01") + "up --detach --quiet-pull"));
  EXPECT_THAT(calls(), Contains(compose_prefix("rsecond1") + "up --detach --quiet-pull"));
  EXPECT_NE(a.app.port, b.app.port);
  EXPECT_NE(a.kafka_bootstrap, b.kafka_bootstrap);
  EXPECT_NE(a.connect_url, b.connect_url);
  first->down(Progress(true));
  second->down(Progress(true));
}

TEST_F(ComposeBackend, DockerMissingIsOneClearLineAndLeavesNothing) {
  fs::create_directories(dir_ / "empty-bin");
  use_docker_from(dir_ / "empty-bin");
  const auto stack = backend();
  try {
    stack->up(Progress(true));
    FAIL() << "up succeeded without docker";
  } catch (const HarnessError& e) {
    EXPECT_THAT(e.what(), AllOf(HasSubstr("docker is not installed"), HasSubstr("--stack native")));
    EXPECT_THAT(e.what(), Not(HasSubstr("\n")));
  }
  EXPECT_FALSE(stack->has_leftovers());
}

TEST_F(ComposeBackend, DaemonDownIsOneClearLineWithDockersOwnWordsAndLeavesNothing) {
  mode("daemon-down");
  const auto stack = backend();
  try {
    stack->up(Progress(true));
    FAIL() << "up succeeded without a daemon";
  } catch (const HarnessError& e) {
    EXPECT_THAT(e.what(), AllOf(HasSubstr("Docker daemon does not answer"),
                                HasSubstr("Cannot connect to the Docker daemon"),
                                HasSubstr("systemctl start docker")));
    EXPECT_THAT(e.what(), Not(HasSubstr("\n")));
  }
  EXPECT_FALSE(stack->has_leftovers());
  EXPECT_THAT(calls(), Not(Contains(HasSubstr(" up "))));
}

TEST_F(ComposeBackend, MissingComposePluginSaysWhatToInstall) {
  mode("no-compose");
  try {
    backend()->up(Progress(true));
    FAIL() << "up succeeded without compose";
  } catch (const HarnessError& e) {
    EXPECT_THAT(e.what(), AllOf(HasSubstr("docker compose (v2) is not available"),
                                HasSubstr("docker-compose-plugin")));
  }
}

TEST_F(ComposeBackend, AServiceThatNeverGetsHealthyTimesOutNamingItAndTheProjectIsRemoved) {
  mode("never-healthy");
  const auto stack = backend("rtest001", 1500ms);
  try {
    stack->up(Progress(true));
    FAIL() << "up succeeded with kafka never healthy";
  } catch (const TimeoutError& e) {
    EXPECT_THAT(e.what(),
                AllOf(HasSubstr("compose services cdc-harness-rtest001 to become healthy"),
                      HasSubstr("kafka running (starting)"), HasSubstr("kafka's log ends")));
    EXPECT_THAT(e.what(), Not(HasSubstr("postgres's log ends")));
  }
  EXPECT_THAT(calls(), Contains(compose_prefix() + "down --volumes --remove-orphans --timeout 10"));
  EXPECT_FALSE(stack->has_leftovers());
}

TEST_F(ComposeBackend, AServiceThatExitsEndsTheWaitAtOnceWithItsLog) {
  mode("service-exits");
  const auto start = std::chrono::steady_clock::now();
  try {
    backend("rtest001", 30s)->up(Progress(true));
    FAIL() << "up succeeded with connect exited";
  } catch (const TimeoutError& e) {
    FAIL() << "waited for the timeout: " << e.what();
  } catch (const HarnessError& e) {
    EXPECT_THAT(e.what(), AllOf(HasSubstr("connect exited exit code 1"), HasSubstr("log line")));
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, 10s);
  EXPECT_THAT(calls(), Contains(HasSubstr("down --volumes")));
}

TEST_F(ComposeBackend, AFailedComposeUpShowsDockersErrorAndRemovesWhatItCreated) {
  mode("up-fails");
  const auto stack = backend();
  try {
    stack->up(Progress(true));
    FAIL() << "up succeeded";
  } catch (const HarnessError& e) {
    EXPECT_THAT(e.what(), AllOf(HasSubstr("exit 18"), HasSubstr("pull access denied")));
  }
  EXPECT_THAT(calls(), Contains(HasSubstr("down --volumes")));
  EXPECT_FALSE(stack->has_leftovers());
}

TEST_F(ComposeBackend, CtrlCDuringTheHealthWaitRemovesTheProject) {
  mode("never-healthy");
  install_interrupt_handlers();
  const auto stack = backend("rtest001", 30s);
  std::thread ctrl_c([] {
    std::this_thread::sleep_for(500ms);
    ::kill(::getpid(), SIGINT);
  });
  EXPECT_THROW(stack->up(Progress(true)), Interrupted);
  ctrl_c.join();
  clear_interrupt();
  EXPECT_THAT(calls(), Contains(HasSubstr("down --volumes")));
  EXPECT_FALSE(stack->has_leftovers());
}

TEST(ComposePs, ReadsTheJsonArrayOfOlderComposeAndTheLinesOfNewer) {
  const std::string array =
      R"([{"Service":"postgres","State":"running","Health":"healthy","ExitCode":0},)"
      R"({"Service":"connect","State":"exited","Health":"","ExitCode":137}])";
  const std::string lines =
      "{\"Service\":\"postgres\",\"State\":\"running\",\"Health\":\"healthy\",\"ExitCode\":0}\n"
      "{\"Service\":\"connect\",\"State\":\"exited\",\"Health\":\"\",\"ExitCode\":137}\n";
  for (const auto& output : {array, lines}) {
    const auto services = compose::parse_compose_ps(output);
    ASSERT_EQ(services.size(), 2u);
    EXPECT_TRUE(services[0].healthy());
    EXPECT_TRUE(services[1].gone());
    EXPECT_EQ(services[1].describe(), "connect exited exit code 137");
  }
  EXPECT_TRUE(compose::parse_compose_ps("").empty());
  EXPECT_THROW(compose::parse_compose_ps("not json\n"), HarnessError);
}

}  // namespace
}  // namespace cdc::unit
