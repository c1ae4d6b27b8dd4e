#include "harness/observer/change_line.hpp"

#include <ctime>

namespace cdc {
using nlohmann::json;

namespace {

std::string clock_time(int64_t micros) {
  const std::time_t seconds = static_cast<std::time_t>(micros / 1000000);
  std::tm local{};
  localtime_r(&seconds, &local);
  char text[32];
  std::strftime(text, sizeof text, "%H:%M:%S", &local);
  char millis[8];
  std::snprintf(millis, sizeof millis, ".%03d", static_cast<int>((micros / 1000) % 1000));
  return std::string(text) + millis;
}

std::string key_text(const json& key) {
  if (!key.is_object()) return key.dump();
  std::string text;
  for (const auto& [column, value] : key.items())
    text += (text.empty() ? "" : ",") + column + "=" + value.dump();
  return text;
}

// The row's columns but the key's, which the line already shows.
std::string columns(const json& row, const json& key) {
  std::string text;
  for (const auto& [column, value] : row.items()) {
    if (key.is_object() && key.contains(column)) continue;
    text += (text.empty() ? "" : " ") + column + "=" + value.dump();
  }
  return text;
}

std::string changed_columns(const json& before, const json& after) {
  std::string text;
  for (const auto& [column, value] : after.items()) {
    if (before.contains(column) && before[column] == value) continue;
    text += (text.empty() ? "" : "  ") + column + ": " +
            (before.contains(column) ? before[column].dump() : "?") + " -> " + value.dump();
  }
  return text.empty() ? "(no column changed)" : text;
}

}  // namespace

std::string change_line(const ChangeEvent& event) {
  const std::string table = event.source.table.empty()
                                ? event.kafka.topic.str()
                                : event.source.schema + "." + event.source.table;
  std::string line = clock_time(event.kafka.received_us) + "  " +
                     (event.is_tombstone() ? std::string("-") : to_string(event.op)) + "  " +
                     table + "  " + key_text(event.key) + "  ";
  switch (event.op) {
    case Op::Read:
    case Op::Create:
      return line + (event.after ? columns(*event.after, event.key) : "(no after image)");
    case Op::Update:
      if (event.before && event.after) return line + changed_columns(*event.before, *event.after);
      return line + (event.after ? columns(*event.after, event.key) : "(no after image)");
    case Op::Delete:
      return line + "deleted" +
             (event.before ? " (was " + columns(*event.before, event.key) + ")" : "");
    case Op::Tombstone:
      return line + "tombstone";
    case Op::Truncate:
      return line + "table truncated";
    case Op::Message:
      return line + "logical decoding message";
  }
  return line;
}

}  // namespace cdc
