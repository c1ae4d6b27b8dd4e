// TOAST: whether an untouched out-of-line value is sent depends on REPLICA IDENTITY.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "scenarios/anomaly_printing.hpp"
#include "scenarios/e2e/identity_tables.hpp"

namespace cdc::scenarios {
namespace {
using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string toasted_value() {
  return std::string(20000, 'x');
}

TEST(Toast, AnUntouchedToastedValueIsThePlaceholderUnderDefault) {
  OwnTable table(Pipeline::shared(), "toast_default", identity_table("DEFAULT"));
  const RowChanges changes = insert_update_delete(table, toasted_value());
  auto expected = changes.expected();
  (*expected[1].after)["big"] = kUnavailable;
  const Verdict verdict = check_events(table.next(), expected, table.rules());
  EXPECT_TRUE(verdict.ok()) << verdict.summary();
}

TEST(Toast, AnUntouchedToastedValueArrivesWholeUnderFull) {
  OwnTable table(Pipeline::shared(), "toast_full", identity_table("FULL"));
  const RowChanges changes = insert_update_delete(table, toasted_value());
  const Verdict verdict = check_events(table.next(), changes.expected(), table.rules());
  EXPECT_TRUE(verdict.ok()) << verdict.summary();
}

// Proof: a check that expected the whole value under DEFAULT names the column.
TEST(Toast, ExpectingTheWholeValueUnderDefaultFails) {
  OwnTable table(Pipeline::shared(), "toast_wrong", identity_table("DEFAULT"));
  const RowChanges changes = insert_update_delete(table, toasted_value());
  const Verdict verdict = check_events(table.next(), changes.expected(), table.rules());
  EXPECT_THAT(verdict.kinds(), ElementsAre(AnomalyKind::Image)) << verdict.summary();
  EXPECT_THAT(verdict.anomalies.at(0).evidence,
              HasSubstr("after.big is \"" + std::string(kUnavailable)));
}

}  // namespace
}  // namespace cdc::scenarios
