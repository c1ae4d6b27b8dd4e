// Transactions: all or nothing, one txId, commit order.
#include <gtest/gtest.h>

#include "scenarios/e2e/flows.hpp"

namespace cdc::scenarios {
namespace {

TEST(Transactions, MultiStatementTransactionSharesOneTxIdInCommitOrder) {
  const auto& pipeline = Pipeline::shared();
  const Verdict verdict = transaction_flow(pipeline, pipeline.connector);
  EXPECT_TRUE(verdict.ok()) << verdict.summary();
}

TEST(Transactions, RolledBackTransactionProducesNoEvent) {
  const auto& pipeline = Pipeline::shared();
  const Verdict verdict = rollback_flow(pipeline, pipeline.connector);
  EXPECT_TRUE(verdict.ok()) << verdict.summary();
}

}  // namespace
}  // namespace cdc::scenarios
