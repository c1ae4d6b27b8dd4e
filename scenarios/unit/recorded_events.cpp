#include "scenarios/unit/recorded_events.hpp"

#include "harness/common/files.hpp"
#include "harness/observer/envelope_decoder.hpp"

namespace cdc::unit {

std::vector<ChangeEvent> recorded_events(const std::string& file) {
  const auto records = nlohmann::json::parse(read_file(std::string(CDC_RECORDED_DIR) + "/" + file));
  std::vector<ChangeEvent> events;
  for (const auto& record : records) {
    KafkaPosition position{"cdctest.public.customers", 0, record["offset"], 0, 0};
    const std::string key = record["key"].dump();
    const std::string value = record["value"].dump();
    events.push_back(decode_change_event(
        key, record["value"].is_null() ? std::nullopt : std::optional<std::string_view>(value),
        position));
  }
  return events;
}

}  // namespace cdc::unit
