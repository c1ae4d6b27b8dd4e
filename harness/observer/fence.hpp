#pragma once
#include <string>

#include <nlohmann/json.hpp>

#include "harness/observer/change_event.hpp"
#include "harness/workload/mutation.hpp"

namespace cdc {

// A fence row as written: its key as the table's primary key gives it, and a column whose
// value no other row has. Its insert is found by that value in the after image, whatever
// the connector keys events by (message.key.columns, a key SMT); with no such column, by
// its key alone.
struct FenceRow {
  nlohmann::json key{};           // {"id": 1007}
  std::string marker_column{};    // "email"; empty: found by key alone
  nlohmann::json marker_value{};  // the column's value in this row only
};

// The fence row a workload's insert wrote, found by `marker_column` (its value unique to it).
FenceRow fence_row(const Mutation& insert, const std::string& marker_column);

// Whether `e` is the insert of `fence`.
bool is_fence(const ChangeEvent& e, const FenceRow& fence);

// "" when the fence's event `e` is keyed as the table's primary key keys it; else the `key`
// finding, one line: the key columns expected and seen, with the fence's key as it came.
std::string key_mismatch(const ChangeEvent& e, const FenceRow& fence);

}  // namespace cdc
