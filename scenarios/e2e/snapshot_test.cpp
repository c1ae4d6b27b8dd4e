// Snapshot: rows that existed before the connector arrive once as reads; rows written while
// the snapshot runs arrive exactly once, on whichever side of the boundary they fell.
#include <gtest/gtest.h>

#include <iostream>

#include "harness/connector/replication_slot.hpp"
#include "scenarios/e2e/flows.hpp"
#include "scenarios/e2e/own_table.hpp"

namespace cdc::scenarios {
namespace {

TEST(Snapshot, RowsThatExistedBeforeTheConnectorArriveAsReads) {
  const Verdict verdict = snapshot_flow(Pipeline::shared());
  EXPECT_TRUE(verdict.ok()) << verdict.summary();
}

TEST(SnapshotStreamBoundary, RowsWrittenDuringTheSnapshotEachArriveExactlyOnce) {
  constexpr int kExisting = 50000;
  constexpr int kMaxDuring = 2000;
  OwnTableSpec spec = table_with("n integer");
  spec.before_connector =
      "INSERT INTO {t} (n) SELECT g FROM generate_series(1, " + std::to_string(kExisting) + ") g";
  spec.wait = WaitFor::Registration;
  OwnTable table(Pipeline::shared(), "boundary", spec);
  std::vector<int> ids;
  for (int i = 1; i <= kExisting; ++i) ids.push_back(i);
  // Keep writing while Debezium snapshots; it holds the slot only once it streams.
  int during = 0;
  while (during < kMaxDuring) {
    ids.push_back(table.insert("n", std::to_string(-during)));
    ++during;
    if (during % 20 == 0) {
      const auto slot =
          replication_slot(Pipeline::shared().endpoints.admin, table.connector().slot_name());
      if (slot && slot->active) break;
    }
  }
  table.wait_until_streaming();
  const Verdict verdict = check_each_row_once(table.next(), ids);
  EXPECT_TRUE(verdict.ok()) << verdict.summary();
  std::cout << "[ boundary ] " << during << " rows written while the snapshot of " << kExisting
            << " ran\n";
}

}  // namespace
}  // namespace cdc::scenarios
