// Two connectors with their own slots and topic prefixes on one database each see every change.
#include <gtest/gtest.h>

#include "harness/connector/replication_slot.hpp"
#include "scenarios/e2e/pipeline.hpp"

namespace cdc::scenarios {
namespace {

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
  const auto expected = expected_changes(mutations);
  const MatchRules rules = customers_rules(pipeline, pipeline.connector);

  const Verdict through_first = check_events(first.next(), expected, rules);
  EXPECT_TRUE(through_first.ok()) << "first connector: " << through_first.summary();
  const Verdict through_second = check_events(second_reader.next(), expected, rules);
  EXPECT_TRUE(through_second.ok()) << "second connector: " << through_second.summary();

  EXPECT_NE(second.config().slot_name(), pipeline.connector.slot_name());
  const auto first_slot_after =
      replication_slot(pipeline.endpoints.admin, pipeline.connector.slot_name());
  ASSERT_TRUE(first_slot_after);
  EXPECT_TRUE(first_slot_after->active) << "the shared connector lost its slot";
}

}  // namespace
}  // namespace cdc::scenarios
