// A large transaction: 10,000 rows in one transaction all arrive, in order, with one txId.
#include <gtest/gtest.h>

#include "scenarios/e2e/own_table.hpp"

namespace cdc::scenarios {
namespace {
using nlohmann::json;

TEST(LargeTransaction, TenThousandRowsArriveAllInOrderWithOneTxId) {
  constexpr int kRows = 10000;
  OwnTable table(Pipeline::shared(), "large_tx", table_with("n integer"));
  // The rows as the transaction wrote them, in statement order, with its txId.
  const auto written = table.exec(
      "WITH rows AS (INSERT INTO {t} (n) SELECT g FROM generate_series(1, " +
      std::to_string(kRows) +
      ") g RETURNING id, n) SELECT id, n, txid_current() % 4294967296 FROM rows ORDER BY n");
  ASSERT_EQ(written.size(), static_cast<size_t>(kRows));
  std::vector<ExpectedChange> expected;
  for (const auto& row : written) {
    const int id = row[0].as<int>();
    expected.push_back(expect::create({{"id", id}})
                           .with_after({{"id", id}, {"n", row[1].as<int>()}})
                           .in_transaction(row[2].as<int64_t>()));
  }
  // Per key once each, every statement in statement order, all in one transaction.
  const Verdict verdict = check_events(table.next(), expected, table.rules());
  EXPECT_TRUE(verdict.ok()) << verdict.summary();
  EXPECT_EQ(verdict.matched, static_cast<size_t>(kRows));
}

}  // namespace
}  // namespace cdc::scenarios
