#include "harness/observer/envelope_decoder.hpp"

namespace cdc {
using nlohmann::json;

namespace {

// JsonConverter with schemas.enable=true wraps every value as {"schema": …, "payload": …}.
const json& unwrap(const json& doc) {
  if (doc.is_object() && doc.contains("schema") && doc.contains("payload")) return doc["payload"];
  return doc;
}

json parse(std::string_view text, const char* what, const KafkaPosition& at) {
  json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded()) {
    throw DecodeError(std::string(what) + " at " + at.topic + "/" + std::to_string(at.partition) +
                      "@" + std::to_string(at.offset) +
                      " is not JSON: " + std::string(text.substr(0, 120)));
  }
  return doc;
}

Op parse_op(const std::string& code) {
  if (code == "r") return Op::Read;
  if (code == "c") return Op::Create;
  if (code == "u") return Op::Update;
  if (code == "d") return Op::Delete;
  if (code == "t") return Op::Truncate;
  if (code == "m") return Op::Message;
  throw DecodeError("unknown Debezium op '" + code + "'");
}

std::optional<int64_t> int_field(const json& object, const char* name) {
  if (!object.is_object() || !object.contains(name) || !object[name].is_number_integer())
    return std::nullopt;
  return object[name].get<int64_t>();
}

// Debezium 2.6+ sends ts_us; older versions only ts_ms.
std::optional<int64_t> micros(const json& object) {
  if (auto us = int_field(object, "ts_us")) return us;
  if (auto ms = int_field(object, "ts_ms")) return *ms * 1000;
  return std::nullopt;
}

std::optional<json> row_image(const json& payload, const char* name) {
  if (!payload.contains(name) || payload[name].is_null()) return std::nullopt;
  return payload[name];
}

}  // namespace

ChangeEvent decode_change_event(std::string_view key, std::optional<std::string_view> value,
                                const KafkaPosition& position) {
  ChangeEvent event;
  event.kafka = position;
  event.key = key.empty() ? json() : unwrap(parse(key, "key", position));
  if (!value) {
    event.op = Op::Tombstone;
    return event;
  }
  const json doc = parse(*value, "value", position);
  const json& payload = unwrap(doc);
  if (!payload.is_object() || !payload.contains("op") || !payload["op"].is_string()) {
    throw DecodeError("value at " + position.topic + "@" + std::to_string(position.offset) +
                      " is not a Debezium envelope (no \"op\"): is an unwrap SMT "
                      "(ExtractNewRecordState) configured?");
  }
  event.op = parse_op(payload["op"].get<std::string>());
  event.before = row_image(payload, "before");
  event.after = row_image(payload, "after");
  event.ts_us = micros(payload);
  if (payload.contains("transaction") && payload["transaction"].is_object()) {
    const json& tx = payload["transaction"];
    event.transaction = TransactionRef{tx.value("id", ""), int_field(tx, "total_order").value_or(0),
                                       int_field(tx, "data_collection_order").value_or(0)};
  }
  if (payload.contains("source") && payload["source"].is_object()) {
    const json& source = payload["source"];
    event.source.lsn = int_field(source, "lsn");
    event.source.tx_id = int_field(source, "txId");
    event.source.ts_us = micros(source);
    if (source.contains("snapshot")) {
      event.source.snapshot = source["snapshot"].is_string() ? source["snapshot"].get<std::string>()
                                                             : source["snapshot"].dump();
    }
    event.source.schema = source.value("schema", "");
    event.source.table = source.value("table", "");
  }
  return event;
}

int64_t TransactionMarker::tx_id() const {
  return std::stoll(id.substr(0, id.find(':')));
}

TransactionMarker decode_transaction_marker(std::string_view value, const KafkaPosition& position) {
  const json doc = parse(value, "transaction record", position);
  const json& payload = unwrap(doc);
  if (!payload.is_object() || !payload.contains("status") || !payload.contains("id")) {
    throw DecodeError("record at " + position.topic + "@" + std::to_string(position.offset) +
                      " is not a Debezium transaction marker (no status/id)");
  }
  TransactionMarker marker{payload["status"], payload["id"], int_field(payload, "event_count"), {}};
  if (payload.contains("data_collections") && payload["data_collections"].is_array()) {
    for (const auto& collection : payload["data_collections"]) {
      marker.data_collections[collection.value("data_collection", "")] =
          collection.value("event_count", int64_t{0});
    }
  }
  return marker;
}

}  // namespace cdc
