#pragma once
#include <optional>
#include <string_view>

#include "harness/observer/change_event.hpp"

namespace cdc {

// Decodes one Kafka record of a Debezium change topic. `value` is nullopt for a tombstone.
// Accepts JsonConverter output with embedded schemas ({"schema":…, "payload":…}) and
// without. Throws DecodeError naming what is wrong with the record.
ChangeEvent decode_change_event(std::string_view key, std::optional<std::string_view> value,
                                const KafkaPosition& position);

struct DecodeError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace cdc
