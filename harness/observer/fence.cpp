#include "harness/observer/fence.hpp"

namespace cdc {
using nlohmann::json;

namespace {

std::string columns_of(const json& key) {
  if (!key.is_object()) return key.is_null() ? "no key" : "a key that is not a row: " + key.dump();
  std::string columns;
  for (const auto& [column, value] : key.items()) columns += (columns.empty() ? "" : ", ") + column;
  return "[" + columns + "]";
}

}  // namespace

FenceRow fence_row(const Mutation& insert, const std::string& marker_column) {
  return {insert.key, marker_column, insert.after->at(marker_column)};
}

bool is_fence(const ChangeEvent& e, const FenceRow& fence) {
  if (e.op != Op::Create) return false;
  if (e.key == fence.key) return true;
  if (fence.marker_column.empty() || !e.after || !e.after->is_object()) return false;
  const auto value = e.after->find(fence.marker_column);
  return value != e.after->end() && *value == fence.marker_value;
}

std::string key_mismatch(const ChangeEvent& e, const FenceRow& fence) {
  if (e.key == fence.key) return "";
  const std::string expected = columns_of(fence.key), seen = columns_of(e.key);
  if (expected == seen) {
    return "key: the fence row " + fence.key.dump() + " came on " + e.kafka.topic + " keyed " +
           e.key.dump() + " at offset " + std::to_string(e.kafka.offset) +
           ": a key converter or SMT changes key values, and changes are matched by the "
           "primary key";
  }
  return "key: events on " + e.kafka.topic + " are keyed by " + seen + ", not by the table's " +
         "primary key " + expected + " (the fence row " + fence.key.dump() + " came keyed " +
         e.key.dump() + " at offset " + std::to_string(e.kafka.offset) +
         "): message.key.columns or a key SMT reshapes keys, and changes are matched by the "
         "primary key; drop it from the connector config";
}

}  // namespace cdc
