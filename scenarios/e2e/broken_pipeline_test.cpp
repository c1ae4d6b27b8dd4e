// The harness can fail: the same flows, run against deliberately broken connectors, must
// report the defect and name it. A check that passes here would pass a broken pipeline.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>

#include "harness/common/errors.hpp"
#include "harness/common/progress.hpp"
#include "harness/connector/connector_lifecycle.hpp"
#include "scenarios/e2e/flows.hpp"

namespace cdc::scenarios {
namespace {
using ::testing::Contains;
using ::testing::HasSubstr;

TEST(BrokenPipeline, ConnectorThatSkipsDeletesIsReportedAsMissingTheDelete) {
  const auto& pipeline = Pipeline::shared();
  ScopedConnector skipping(pipeline, unique_tag("skip-deletes"),
                           [](nlohmann::json& config) { config["skipped.operations"] = "d"; });
  const Verdict verdict = delete_flow(pipeline, skipping.config());
  EXPECT_FALSE(verdict.ok());
  EXPECT_THAT(verdict.failures, Contains(HasSubstr("missing: no op=d event"))) << verdict.summary();
}

TEST(BrokenPipeline, ConnectorThatDropsAColumnIsReportedAsWrongAfterImage) {
  const auto& pipeline = Pipeline::shared();
  ScopedConnector dropping(pipeline, unique_tag("drop-email"), [](nlohmann::json& config) {
    config["column.exclude.list"] = "public.customers.email";
  });
  const Verdict verdict = insert_flow(pipeline, dropping.config());
  EXPECT_THAT(verdict.failures, Contains(HasSubstr("lacks column email"))) << verdict.summary();
}

TEST(BrokenPipeline, ConnectorWithoutSnapshotIsReportedAsMissingTheReads) {
  const Verdict verdict = snapshot_flow(
      Pipeline::shared(), [](nlohmann::json& config) { config["snapshot.mode"] = "no_data"; });
  EXPECT_THAT(verdict.failures, Contains(HasSubstr("missing: no op=r event"))) << verdict.summary();
}

TEST(BrokenPipeline, TaskThatFailsAtStartStopsTheWaitWithConnectsTrace) {
  const auto& pipeline = Pipeline::shared();
  // Passes Connect's validation; the task fails when it looks for its publication.
  const ConnectorConfig config = ScopedConnector::derive(
      pipeline, unique_tag("no-publication"),
      [](nlohmann::json& c) { c["publication.name"] = "no_such_publication"; });
  const auto start = std::chrono::steady_clock::now();
  try {
    start_connector(pipeline.endpoints, config, Progress(true));
    ADD_FAILURE() << "a connector without its publication reached streaming";
  } catch (const TimeoutError& e) {
    ADD_FAILURE() << "waited for the timeout instead of stopping at the FAILED task: " << e.what();
  } catch (const HarnessError& e) {
    EXPECT_THAT(e.what(), HasSubstr("FAILED"));
    EXPECT_THAT(e.what(), HasSubstr("Publication autocreation is disabled"));
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(30));
  remove_connector(pipeline.endpoints, config.name, config.slot_name());
}

TEST(BrokenPipeline, WrongPasswordIsRejectedWithConnectsMessageAndNotEchoed) {
  const auto& pipeline = Pipeline::shared();
  const ConnectorConfig config = ScopedConnector::derive(
      pipeline, unique_tag("bad-login"),
      [](nlohmann::json& c) { c["database.password"] = "not-the-password"; });
  try {
    start_connector(pipeline.endpoints, config, Progress(true));
    ADD_FAILURE() << "a connector with a wrong password reached streaming";
  } catch (const TimeoutError& e) {
    ADD_FAILURE() << "waited for the timeout instead of failing at once: " << e.what();
  } catch (const HarnessError& e) {
    EXPECT_THAT(e.what(), HasSubstr("password authentication failed"));
    EXPECT_THAT(e.what(), ::testing::Not(HasSubstr("not-the-password")));
  }
  remove_connector(pipeline.endpoints, config.name, config.slot_name());
}

TEST(BrokenPipeline, ConfigThatConnectRejectsFailsWithConnectsMessage) {
  const auto& pipeline = Pipeline::shared();
  const ConnectorConfig config =
      ScopedConnector::derive(pipeline, unique_tag("bad-config"),
                              [](nlohmann::json& c) { c["plugin.name"] = "no-such-decoder"; });
  try {
    start_connector(pipeline.endpoints, config, Progress(true));
    ADD_FAILURE() << "Connect accepted plugin.name=no-such-decoder";
  } catch (const TimeoutError& e) {
    ADD_FAILURE() << "waited for the timeout instead of failing at once: " << e.what();
  } catch (const HarnessError& e) {
    EXPECT_THAT(e.what(), HasSubstr("rejected connector"));
    EXPECT_THAT(e.what(), HasSubstr("plugin.name"));
  }
  remove_connector(pipeline.endpoints, config.name, config.slot_name());
}

}  // namespace
}  // namespace cdc::scenarios
