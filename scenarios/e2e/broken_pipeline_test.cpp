// The harness can fail: the same flows, run against deliberately broken connectors, must
// report the defect and name it. A check that passes here would pass a broken pipeline.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>

#include "harness/common/errors.hpp"
#include "harness/common/progress.hpp"
#include "harness/connector/connector_lifecycle.hpp"
#include "scenarios/anomaly_printing.hpp"
#include "scenarios/e2e/flows.hpp"

namespace cdc::scenarios {
namespace {
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::Field;
using ::testing::HasSubstr;

auto anomaly(AnomalyKind kind, Op op) {
  return AllOf(Field(&Anomaly::kind, kind), Field(&Anomaly::op, std::optional<Op>(op)));
}

TEST(BrokenPipeline, ConnectorThatSkipsDeletesIsReportedAsMissingTheDelete) {
  const auto& pipeline = Pipeline::shared();
  ScopedConnector skipping(pipeline, unique_tag("skip-deletes"),
                           [](nlohmann::json& config) { config["skipped.operations"] = "d"; });
  const Verdict verdict = delete_flow(pipeline, skipping.config());
  EXPECT_FALSE(verdict.ok());
  EXPECT_THAT(verdict.anomalies, Contains(anomaly(AnomalyKind::Lost, Op::Delete)))
      << verdict.summary();
}

TEST(BrokenPipeline, ConnectorThatDropsAColumnIsReportedAsWrongAfterImage) {
  const auto& pipeline = Pipeline::shared();
  ScopedConnector dropping(pipeline, unique_tag("drop-email"), [](nlohmann::json& config) {
    config["column.exclude.list"] = "public.customers.email";
  });
  const Verdict verdict = insert_flow(pipeline, dropping.config());
  EXPECT_THAT(verdict.anomalies,
              Contains(AllOf(Field(&Anomaly::kind, AnomalyKind::Image),
                             Field(&Anomaly::evidence, HasSubstr("after.email is absent")))))
      << verdict.summary();
}

TEST(BrokenPipeline, ConnectorWithoutSnapshotIsReportedAsMissingTheReads) {
  const Verdict verdict = snapshot_flow(
      Pipeline::shared(), [](nlohmann::json& config) { config["snapshot.mode"] = "no_data"; });
  EXPECT_THAT(verdict.anomalies, Contains(anomaly(AnomalyKind::Lost, Op::Read)))
      << verdict.summary();
}

// Starts a connector derived with `change`, which must make Connect refuse it or its task
// fail, and returns the harness's error. Reaching streaming fails the test, and so does
// noticing the failure only at a timeout: a broken connector must stop the wait at once.
std::string start_failure(const std::string& name,
                          const std::function<void(nlohmann::json&)>& change) {
  const auto& pipeline = Pipeline::shared();
  const ConnectorConfig config = ScopedConnector::derive(pipeline, unique_tag(name), change);
  const auto start = std::chrono::steady_clock::now();
  std::string error;
  try {
    start_connector(pipeline.endpoints, config, Progress(true));
    ADD_FAILURE() << "connector " << config.name << " reached streaming";
  } catch (const TimeoutError& e) {
    ADD_FAILURE() << "waited for the timeout instead of stopping at the failure: " << e.what();
  } catch (const HarnessError& e) {
    error = e.what();
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(30));
  remove_connector(pipeline.endpoints, config.name, config.slot_name());
  return error;
}

TEST(BrokenPipeline, TaskThatFailsAtStartStopsTheWaitWithConnectsTrace) {
  // Passes Connect's validation; the task fails when it looks for its publication.
  const std::string error = start_failure(
      "no-publication", [](nlohmann::json& c) { c["publication.name"] = "no_such_publication"; });
  EXPECT_THAT(error, HasSubstr("FAILED"));
  EXPECT_THAT(error, HasSubstr("Publication autocreation is disabled"));
}

TEST(BrokenPipeline, WrongPasswordIsRejectedWithConnectsMessageAndNotEchoed) {
  const std::string error = start_failure(
      "bad-login", [](nlohmann::json& c) { c["database.password"] = "not-the-password"; });
  EXPECT_THAT(error, HasSubstr("password authentication failed"));
  EXPECT_THAT(error, ::testing::Not(HasSubstr("not-the-password")));
}

TEST(BrokenPipeline, ConfigThatConnectRejectsFailsWithConnectsMessage) {
  const std::string error =
      start_failure("bad-config", [](nlohmann::json& c) { c["plugin.name"] = "no-such-decoder"; });
  EXPECT_THAT(error, HasSubstr("rejected connector"));
  EXPECT_THAT(error, HasSubstr("plugin.name"));
}

}  // namespace
}  // namespace cdc::scenarios
