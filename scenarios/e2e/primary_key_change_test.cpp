// A primary-key change is a delete (and tombstone) of the old key, then a create of the new.
#include <gtest/gtest.h>

#include "scenarios/e2e/pipeline.hpp"

namespace cdc::scenarios {
namespace {

TEST(PrimaryKeyChange, IsADeleteAndTombstoneOfTheOldKeyThenACreateOfTheNew) {
  const auto& pipeline = Pipeline::shared();
  CustomersScene scene(pipeline, pipeline.connector, "rekey");
  auto& workload = scene.workload;
  const Mutation inserted = workload.insert("Rosalind", "Franklin");
  const auto rekeyed =
      workload.transaction([&](CustomersWorkload::Batch& tx) { tx.change_id(inserted.key["id"]); });
  std::vector<Mutation> mutations = {inserted};
  mutations.insert(mutations.end(), rekeyed.begin(), rekeyed.end());
  const Verdict verdict = check_events(scene.reader.next(), expected_changes(mutations),
                                       customers_rules(pipeline, pipeline.connector));
  EXPECT_TRUE(verdict.ok()) << verdict.summary();
}

}  // namespace
}  // namespace cdc::scenarios
