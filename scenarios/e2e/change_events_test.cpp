// Change events: one per statement, each once, in order, with the right row images.
#include <gtest/gtest.h>

#include "scenarios/e2e/flows.hpp"

namespace cdc::scenarios {
namespace {

TEST(ChangeEvents, InsertArrivesAsCreateWithTheFullAfterImage) {
  const auto& pipeline = Pipeline::shared();
  const Verdict verdict = insert_flow(pipeline, pipeline.connector);
  EXPECT_TRUE(verdict.ok()) << verdict.summary();
}

TEST(ChangeEvents, UpdateArrivesWithAfterAndTheBeforeReplicaIdentityDictates) {
  const auto& pipeline = Pipeline::shared();
  const Verdict verdict = update_flow(pipeline, pipeline.connector);
  EXPECT_TRUE(verdict.ok()) << verdict.summary();
}

TEST(ChangeEvents, DeleteArrivesFollowedByATombstoneForTheSameKey) {
  const auto& pipeline = Pipeline::shared();
  const Verdict verdict = delete_flow(pipeline, pipeline.connector);
  EXPECT_TRUE(verdict.ok()) << verdict.summary();
}

}  // namespace
}  // namespace cdc::scenarios
