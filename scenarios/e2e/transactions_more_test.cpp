// Savepoints, and a second connector on the same database.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/checkers/event_expectations.hpp"
#include "harness/connector/replication_slot.hpp"
#include "scenarios/e2e/flows.hpp"

namespace cdc::scenarios {
namespace {
using nlohmann::json;
using ::testing::Contains;
using ::testing::HasSubstr;

TEST(Savepoints, ChangesRolledBackToASavepointNeverAppearTheRestDoes) {
  const auto& pipeline = Pipeline::shared();
  CustomersScene scene(pipeline, pipeline.connector, "savepoint");
  auto& workload = scene.workload;
  const Mutation existing = workload.insert("Frances", "Allen");
  std::vector<json> undone;
  const auto kept = workload.transaction([&](CustomersWorkload::Batch& tx) {
    tx.insert("Kept", "Before");
    for (const auto& m : tx.savepoint(
             [&](CustomersWorkload::Batch& sp) {
               sp.insert("Undone", "Insert");
               sp.update_email(existing.key["id"], "undone-" + workload.next_email());
             },
             Outcome::Rollback)) {
      undone.push_back(m.key);
    }
    tx.insert("Kept", "After");
  });
  std::vector<Mutation> mutations = {existing};
  mutations.insert(mutations.end(), kept.begin(), kept.end());
  const Verdict verdict =
      check_events(scene.reader.next(),
                   expected_events(mutations, event_rules(pipeline, pipeline.connector)), undone);
  EXPECT_TRUE(verdict.ok()) << verdict.summary();
}

TEST(TwoConnectors, OnTheSameDatabaseEachSeesEveryChangeWithoutInterfering) {
  const auto& pipeline = Pipeline::shared();
  const std::string tag = unique_tag("second");
  ScopedConnector second(pipeline, tag);
  const auto first_slot_before =
      replication_slot(pipeline.endpoints.admin, pipeline.connector.slot_name());
  ASSERT_TRUE(first_slot_before && first_slot_before->active);

  CustomersWorkload workload(pipeline.endpoints.app, tag);
  TopicObserver first_topic(pipeline.endpoints.kafka_bootstrap, pipeline.connector.change_topic());
  TopicObserver second_topic(pipeline.endpoints.kafka_bootstrap, second.config().change_topic());
  FencedReader first(first_topic, fence_with(workload));
  FencedReader second_reader(second_topic, fence_with(workload));
  std::vector<Mutation> mutations = {workload.insert("Joan", "Clarke")};
  const int id = mutations[0].key["id"];
  mutations.push_back(workload.update_email(id, workload.next_email()));
  mutations.push_back(workload.remove(id));
  const auto expected = expected_events(mutations, event_rules(pipeline, pipeline.connector));

  const Verdict through_first = check_events(first.next(), expected);
  EXPECT_TRUE(through_first.ok()) << "first connector: " << through_first.summary();
  const Verdict through_second = check_events(second_reader.next(), expected);
  EXPECT_TRUE(through_second.ok()) << "second connector: " << through_second.summary();

  EXPECT_NE(second.config().slot_name(), pipeline.connector.slot_name());
  const auto first_slot_after =
      replication_slot(pipeline.endpoints.admin, pipeline.connector.slot_name());
  ASSERT_TRUE(first_slot_after);
  EXPECT_TRUE(first_slot_after->active) << "the shared connector lost its slot";
}

}  // namespace
}  // namespace cdc::scenarios
