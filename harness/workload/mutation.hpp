#pragma once
#include <cstdint>
#include <optional>

#include <nlohmann/json.hpp>

#include "harness/model/op.hpp"

namespace cdc {

// One committed (or rolled-back) change as the workload made it: what Debezium should
// report for it. Row images are Postgres's own row_to_json of the row.
struct Mutation {
  Op op = Op::Create;
  nlohmann::json key{};  // {"id": …}, as Debezium keys customers
  std::optional<nlohmann::json> before{};
  std::optional<nlohmann::json> after{};
  int64_t tx_id = 0;  // 32-bit xid, as Debezium's source.txId; 0 when not known
  // The WAL insert position read inside the transaction just before COMMIT: the commit
  // record lies at or after it, so ordering transactions by it is ordering them by commit.
  std::optional<int64_t> commit_lsn{};
};

}  // namespace cdc
