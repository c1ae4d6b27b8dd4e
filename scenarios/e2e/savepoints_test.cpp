// Savepoints: changes rolled back to a savepoint never appear; the rest of the transaction does.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "scenarios/e2e/flows.hpp"

namespace cdc::scenarios {
namespace {

TEST(Savepoints, ChangesRolledBackToASavepointNeverAppearTheRestDoes) {
  const auto& pipeline = Pipeline::shared();
  CustomersScene scene(pipeline, pipeline.connector, "savepoint");
  auto& workload = scene.workload;
  const Mutation existing = workload.insert("Frances", "Allen");
  std::vector<Mutation> undone;
  const auto kept = workload.transaction([&](CustomersWorkload::Batch& tx) {
    tx.insert("Kept", "Before");
    undone = tx.savepoint(
        [&](CustomersWorkload::Batch& sp) {
          sp.insert("Undone", "Insert");
          sp.update_email(existing.key["id"], "undone-" + workload.next_email());
        },
        Outcome::Rollback);
    tx.insert("Kept", "After");
  });
  std::vector<Mutation> mutations = {existing};
  mutations.insert(mutations.end(), kept.begin(), kept.end());
  std::vector<ExpectedChange> expected = expected_changes(mutations);
  for (auto& change : expected_changes(undone)) expected.push_back(std::move(change).rolled_back());
  const Verdict verdict =
      check_events(scene.reader.next(), expected, customers_rules(pipeline, pipeline.connector));
  EXPECT_TRUE(verdict.ok()) << verdict.summary();
}

}  // namespace
}  // namespace cdc::scenarios
