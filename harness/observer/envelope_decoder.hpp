#pragma once
#include <map>
#include <optional>
#include <stdexcept>
#include <string_view>

#include "harness/observer/change_event.hpp"

namespace cdc {

// Decodes one Kafka record of a Debezium change topic. `value` is nullopt for a tombstone.
// Accepts JsonConverter output with embedded schemas ({"schema":…, "payload":…}) and
// without. Throws DecodeError naming what is wrong with the record.
ChangeEvent decode_change_event(std::string_view key, std::optional<std::string_view> value,
                                const KafkaPosition& position);

// A record of Debezium's transaction topic (<topic.prefix>.transaction), present with
// provide.transaction.metadata=true: one BEGIN and one END per transaction.
struct TransactionMarker {
  std::string status{};                               // "BEGIN" or "END"
  std::string id{};                                   // "<txId>:<lsn>"
  std::optional<int64_t> event_count{};               // END only
  std::map<std::string, int64_t> data_collections{};  // END only: "schema.table" -> events
  int64_t tx_id() const;                              // the txId part of id
};

TransactionMarker decode_transaction_marker(std::string_view value, const KafkaPosition& position);

struct DecodeError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace cdc
