// Components of a stack the harness owns can each be stopped, started, killed and paused:
// the seam faults act through. On a native stack of its own (the shared one keeps serving
// the other scenarios), every action is seen to take effect.
#include <gtest/gtest.h>

#include <iostream>
#include <pqxx/pqxx>

#include "harness/common/errors.hpp"
#include "harness/common/progress.hpp"
#include "harness/common/timeouts.hpp"
#include "harness/connector/connect_client.hpp"
#include "harness/stack/backend.hpp"
#include "harness/stack/kafka_admin.hpp"
#include "scenarios/e2e/pipeline.hpp"

namespace cdc::scenarios {
namespace {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

bool sql_answers(const PostgresEndpoint& pg) {
  try {
    pqxx::connection conn(pg.conninfo());
    pqxx::nontransaction(conn).exec1("SELECT 1");
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

bool connect_answers(const std::string& url) {
  try {
    return ConnectClient(url).get("/").status == 200;
  } catch (const HarnessError&) {
    return false;
  }
}

bool kafka_answers(const std::string& bootstrap) {
  try {
    kafka_topics(bootstrap, 3s);
    return true;
  } catch (const HarnessError&) {
    return false;
  }
}

class StackComponents : public ::testing::Test {
 protected:
  void SetUp() override {
    if (Pipeline::shared().stack.kind != StackKind::Native)
      GTEST_SKIP() << "brings up a native stack of its own; run with the native stack";
    run_dir = fs::path(Pipeline::shared().run_dir).parent_path() / unique_tag("components");
    backend = make_stack_backend(StackChoice{StackKind::Native, "components", {}}, run_dir);
    endpoints = backend->up(Progress(true));
  }
  void TearDown() override {
    if (backend) backend->down(Progress(true));
    if (!HasFailure()) fs::remove_all(run_dir);
  }
  void act(Component component, ComponentAction action) {
    const auto start = std::chrono::steady_clock::now();
    backend->act_on(component, action, Progress(true));
    std::cout << "[ components ] " << to_string(action) << " " << to_string(component) << ": "
              << std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::steady_clock::now() - start)
                     .count()
              << " ms\n";
  }

  fs::path run_dir;
  std::unique_ptr<StackBackend> backend;
  StackEndpoints endpoints;
};

TEST_F(StackComponents, NativeBackendStopsStartsKillsAndPausesEachComponent) {
  act(Component::Connect, ComponentAction::Kill);
  EXPECT_FALSE(connect_answers(endpoints.connect_url)) << "Connect answers after SIGKILL";
  act(Component::Connect, ComponentAction::Start);
  EXPECT_TRUE(connect_answers(endpoints.connect_url));

  act(Component::Kafka, ComponentAction::Pause);
  EXPECT_FALSE(kafka_answers(endpoints.kafka_bootstrap)) << "Kafka answers while SIGSTOPped";
  act(Component::Kafka, ComponentAction::Resume);
  EXPECT_TRUE(kafka_answers(endpoints.kafka_bootstrap));
  act(Component::Kafka, ComponentAction::Stop);
  EXPECT_FALSE(kafka_answers(endpoints.kafka_bootstrap));
  act(Component::Kafka, ComponentAction::Start);
  EXPECT_TRUE(kafka_answers(endpoints.kafka_bootstrap));

  act(Component::Postgres, ComponentAction::Stop);
  EXPECT_FALSE(sql_answers(endpoints.admin));
  act(Component::Postgres, ComponentAction::Start);
  EXPECT_TRUE(sql_answers(endpoints.admin));
  act(Component::Postgres, ComponentAction::Kill);
  EXPECT_FALSE(sql_answers(endpoints.admin)) << "Postgres answers after SIGKILL";
  act(Component::Postgres, ComponentAction::Start);
  EXPECT_TRUE(sql_answers(endpoints.admin)) << "Postgres does not recover from its crash";
  act(Component::Postgres, ComponentAction::Pause);
  act(Component::Postgres, ComponentAction::Resume);
  EXPECT_TRUE(sql_answers(endpoints.admin));

  for (const auto& component : backend->status()) {
    EXPECT_TRUE(component.running) << component.name << " " << component.detail;
  }
  EXPECT_THROW(act(Component::Kafka, ComponentAction::Start), HarnessError)
      << "starting what runs is refused";
}

}  // namespace
}  // namespace cdc::scenarios
