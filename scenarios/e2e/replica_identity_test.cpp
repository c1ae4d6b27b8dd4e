// REPLICA IDENTITY decides the before image Debezium sends for updates and deletes.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "scenarios/anomaly_printing.hpp"
#include "scenarios/e2e/identity_tables.hpp"

namespace cdc::scenarios {
namespace {
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::Field;

TEST(ReplicaIdentity, DefaultSendsNoBeforeForUpdatesAndOnlyTheKeyForDeletes) {
  OwnTable table(Pipeline::shared(), "ri_default", identity_table("DEFAULT"));
  const RowChanges changes = insert_update_delete(table, "small");
  const auto events = table.next();
  const Verdict verdict = check_events(events, changes.expected(), table.rules());
  EXPECT_TRUE(verdict.ok()) << verdict.summary();
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(*events[2].before, (json{{"id", changes.id}, {"a", nullptr}, {"big", nullptr}}))
      << "a delete's before image holds the key, the rest null";
}

TEST(ReplicaIdentity, FullSendsTheWholeOldRowForUpdatesAndDeletes) {
  OwnTable table(Pipeline::shared(), "ri_full", identity_table("FULL"));
  const RowChanges changes = insert_update_delete(table, "small");
  const Verdict verdict = check_events(table.next(), changes.expected(), table.rules());
  EXPECT_TRUE(verdict.ok()) << verdict.summary();
}

// Proof: expecting FULL's images from a DEFAULT table is reported, image by image.
TEST(ReplicaIdentity, ExpectingFullImagesFromADefaultTableFails) {
  OwnTable table(Pipeline::shared(), "ri_wrong", identity_table("DEFAULT"));
  const RowChanges changes = insert_update_delete(table, "small");
  MatchRules full = table.rules();
  full.identity = ReplicaIdentity::Full;
  const Verdict verdict = check_events(table.next(), changes.expected(), full);
  EXPECT_FALSE(verdict.ok());
  EXPECT_THAT(verdict.anomalies, Contains(AllOf(Field(&Anomaly::kind, AnomalyKind::Image),
                                                Field(&Anomaly::op, Op::Update))))
      << verdict.summary();
}

}  // namespace
}  // namespace cdc::scenarios
