#include "harness/observer/envelope_decoder.hpp"

#include <simdjson.h>

#include <cstring>

namespace cdc {
using nlohmann::json;

namespace {

constexpr const char* kConverterHint =
    " (the connector's converter writes neither JsonConverter's JSON nor Avro through a "
    "schema registry: StringConverter?)";

std::string where(const KafkaPosition& at) {
  return at.topic + "/" + std::to_string(at.partition) + "@" + std::to_string(at.offset);
}

// JsonConverter with schemas.enable=true wraps every value as {"schema": …, "payload": …}.
const json& unwrap(const json& doc) {
  if (doc.is_object() && doc.contains("schema") && doc.contains("payload")) return doc["payload"];
  return doc;
}

json parse(std::string_view text, const char* what, const KafkaPosition& at) {
  json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded()) {
    throw DecodeError(std::string(what) + " at " + at.topic + "/" + std::to_string(at.partition) +
                      "@" + std::to_string(at.offset) + " is not JSON" + kConverterHint +
                      "; it begins: " + std::string(text.substr(0, 120)));
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

}  // namespace

namespace {

namespace od = simdjson::ondemand;

// simdjson reads a few bytes past a document's end: each thread copies records into a buffer
// of its own with that padding (one copy, no allocation once the buffer has grown).
struct PaddedParser {
  od::parser parser;
  std::string buffer;

  od::document iterate(std::string_view text) {
    const size_t needed = text.size() + simdjson::SIMDJSON_PADDING;
    if (buffer.size() < needed) buffer.resize(needed);
    std::memcpy(buffer.data(), text.data(), text.size());
    return parser.iterate(buffer.data(), text.size(), buffer.size());
  }
};

PaddedParser& thread_parser() {
  thread_local PaddedParser parser;
  return parser;
}

[[noreturn]] void not_json(std::string_view text, const char* what, const KafkaPosition& at) {
  throw DecodeError(std::string(what) + " at " + at.topic + "/" + std::to_string(at.partition) +
                    "@" + std::to_string(at.offset) + " is not JSON" + kConverterHint +
                    "; it begins: " + std::string(text.substr(0, 120)));
}

// A part of a record (a key, a row image) as a JSON value of its own, built straight from
// simdjson's reading of it: no second parse.
json to_json(od::value value) {
  switch (value.type()) {
    case od::json_type::object: {
      json object = json::object();
      for (auto field : value.get_object()) {
        std::string_view name = field.unescaped_key();
        object.emplace(std::string(name), to_json(field.value()));
      }
      return object;
    }
    case od::json_type::array: {
      json array = json::array();
      for (auto element : value.get_array()) array.push_back(to_json(element.value()));
      return array;
    }
    case od::json_type::string:
      return std::string(std::string_view(value.get_string()));
    case od::json_type::boolean:
      return bool(value.get_bool());
    case od::json_type::null:
      return nullptr;
    case od::json_type::number:
      switch (value.get_number_type()) {
        case od::number_type::signed_integer:
          return int64_t(value.get_int64());
        case od::number_type::unsigned_integer:
          return uint64_t(value.get_uint64());
        default:  // floating point, or an integer too big for 64 bits: as nlohmann reads it
          return json::parse(value.raw_json_token());
      }
  }
  return nullptr;
}

std::optional<int64_t> int_of(od::value value) {
  int64_t number = 0;
  if (value.get_int64().get(number) != simdjson::SUCCESS) return std::nullopt;
  return number;
}

std::string string_of(od::value value) {
  std::string_view text;
  if (value.get_string().get(text) != simdjson::SUCCESS) return {};
  return std::string(text);
}

void read_source(od::object source, SourceInfo& out) {
  std::optional<int64_t> ts_ms;
  for (auto field : source) {
    std::string_view name;
    if (field.unescaped_key().get(name) != simdjson::SUCCESS) continue;
    od::value value = field.value();
    if (name == "lsn") {
      out.lsn = int_of(value);
    } else if (name == "txId") {
      out.tx_id = int_of(value);
    } else if (name == "ts_us") {
      out.ts_us = int_of(value);
    } else if (name == "ts_ms") {
      ts_ms = int_of(value);
    } else if (name == "snapshot") {
      std::string_view text;
      if (value.get_string().get(text) == simdjson::SUCCESS) {
        out.snapshot = std::string(text);
      } else {
        out.snapshot = json::parse(value.raw_json_token()).dump();  // true, false: as JSON
      }
    } else if (name == "schema") {
      out.schema = string_of(value);
    } else if (name == "table") {
      out.table = string_of(value);
    }
  }
  if (!out.ts_us && ts_ms) out.ts_us = *ts_ms * 1000;  // Debezium before 2.6: ts_ms only
}

std::optional<TransactionRef> read_transaction(od::value value) {
  od::object tx;
  if (value.get_object().get(tx) != simdjson::SUCCESS) return std::nullopt;
  TransactionRef ref;
  for (auto field : tx) {
    std::string_view name;
    if (field.unescaped_key().get(name) != simdjson::SUCCESS) continue;
    if (name == "id")
      ref.id = string_of(field.value());
    else if (name == "total_order")
      ref.total_order = int_of(field.value()).value_or(0);
    else if (name == "data_collection_order")
      ref.data_collection_order = int_of(field.value()).value_or(0);
  }
  return ref;
}

std::optional<json> row_image(od::value value) {
  if (value.type() != od::json_type::object) return std::nullopt;  // null: no image
  return to_json(value);
}

// The envelope's fields, wherever the payload is: at the top, or under "payload" when the
// converter embeds schemas (the schema, two thirds of the bytes, is skipped unread).
void read_envelope(od::object payload, ChangeEvent& event, bool& has_op) {
  std::optional<int64_t> ts_ms;
  for (auto field : payload) {
    std::string_view name;
    if (field.unescaped_key().get(name) != simdjson::SUCCESS) continue;
    od::value value = field.value();
    if (name == "op") {
      std::string_view code;
      if (value.get_string().get(code) != simdjson::SUCCESS) continue;
      event.op = parse_op(std::string(code));
      has_op = true;
    } else if (name == "before") {
      event.before = row_image(value);
    } else if (name == "after") {
      event.after = row_image(value);
    } else if (name == "ts_us") {
      event.ts_us = int_of(value);
    } else if (name == "ts_ms") {
      ts_ms = int_of(value);
    } else if (name == "source") {
      od::object source;
      if (value.get_object().get(source) == simdjson::SUCCESS) read_source(source, event.source);
    } else if (name == "transaction") {
      event.transaction = read_transaction(value);
    }
  }
  if (!event.ts_us && ts_ms) event.ts_us = *ts_ms * 1000;
}

// With schemas, a record is {"schema":{…},"payload":{…}}, and the schema is most of its bytes.
// A JSON parser's first stage reads every byte, so the payload is found by its key and parsed
// alone. The text found counts only if it parses as one whole object running to the record's
// closing brace; anything else (no schema, keys in another order, "payload": inside the
// schema) is parsed whole, as before.
//
// A topic's records share their schema, so where the last record's payload began is kept (one
// place for keys, one for values) and looked at first: the schema is not read at all. A
// "payload": found there that is not the record's own (inside another schema) cannot be
// followed by one whole object closing the record, so the check below turns it down.
size_t payload_key_at(std::string_view record, std::string_view key, size_t& last_at) {
  if (last_at > 0 && record.size() > last_at + key.size() &&
      record.substr(last_at, key.size()) == key)
    return last_at;
  // memmem, not find: find looks at every '"', and JSON is full of them.
  const void* found = memmem(record.data(), record.size(), key.data(), key.size());
  if (found == nullptr) return std::string_view::npos;
  last_at = static_cast<size_t>(static_cast<const char*>(found) - record.data());
  return last_at;
}

std::optional<std::string_view> payload_text(std::string_view record, size_t& last_at) {
  static constexpr std::string_view kKey = "\"payload\":";
  if (!record.starts_with("{\"schema\":")) return std::nullopt;
  const size_t at = payload_key_at(record, kKey, last_at);
  const size_t close = record.find_last_not_of(" \t\r\n");
  if (at == std::string_view::npos || close == std::string_view::npos || record[close] != '}' ||
      at < 1 || record[at - 1] != ',')
    return std::nullopt;
  const size_t from = at + kKey.size();
  if (from >= close) return std::nullopt;
  return record.substr(from, close - from);
}

// The payload alone, if it is one whole object; false: parse the record whole. `read` may be
// called twice (the kept place, then the searched one) and must start afresh each time.
template <typename Read>
bool read_payload_alone(std::string_view record, size_t& last_at, Read&& read) {
  const auto read_at = [&] {
    const auto text = payload_text(record, last_at);
    if (!text || !text->starts_with('{')) return false;
    try {
      od::document doc = thread_parser().iterate(*text);
      od::value payload;
      if (doc.get_value().get(payload) != simdjson::SUCCESS || !read(payload)) return false;
      return doc.current_location().error() == simdjson::OUT_OF_BOUNDS;  // nothing after it
    } catch (const simdjson::simdjson_error&) {
      return false;
    }
  };
  const size_t kept = last_at;
  if (read_at()) return true;
  if (kept == 0 || last_at != kept) return false;  // it was searched for: no payload alone
  last_at = 0;  // the kept place was another "payload": search this record
  return read_at();
}

json decode_key(std::string_view key, const KafkaPosition& position) {
  if (key.empty()) return json();
  json fast;
  thread_local size_t key_payload_at = 0;
  if (read_payload_alone(key, key_payload_at, [&](od::value payload) {
        fast = to_json(payload);
        return true;
      }))
    return fast;
  try {
    // With schemas, {"schema": …, "payload": {…}}: the schema is skipped unread.
    od::document doc = thread_parser().iterate(key);
    od::object top;
    od::value payload;
    if (doc.get_object().get(top) == simdjson::SUCCESS &&
        top.find_field_unordered("schema").error() == simdjson::SUCCESS &&
        top.find_field_unordered("payload").get(payload) == simdjson::SUCCESS)
      return to_json(payload);
  } catch (const simdjson::simdjson_error&) {
  }
  return unwrap(parse(key, "key", position));  // without schemas, or not JSON: says which
}

}  // namespace

ChangeEvent decode_change_event(std::string_view key, std::optional<std::string_view> value,
                                const KafkaPosition& position) {
  ChangeEvent event;
  event.kafka = position;
  event.key = decode_key(key, position);
  if (!value) {
    event.op = Op::Tombstone;
    return event;
  }
  bool has_op = false;
  ChangeEvent fast;
  thread_local size_t value_payload_at = 0;
  if (read_payload_alone(*value, value_payload_at, [&](od::value payload) {
        fast = ChangeEvent{};
        has_op = false;
        od::object envelope;
        if (payload.get_object().get(envelope) != simdjson::SUCCESS) return false;
        read_envelope(envelope, fast, has_op);
        return has_op;
      })) {
    fast.key = std::move(event.key);
    fast.kafka = std::move(event.kafka);
    return fast;
  }
  has_op = false;
  try {
    od::document doc = thread_parser().iterate(*value);
    od::object top;
    if (doc.get_object().get(top) != simdjson::SUCCESS) {
      if (!json::accept(*value)) not_json(*value, "value", position);
    } else {
      // With schemas: {"schema": …, "payload": {…}}. Without: the envelope itself.
      od::value inner;
      od::object payload;
      if (top.find_field_unordered("payload").get(inner) == simdjson::SUCCESS &&
          inner.get_object().get(payload) == simdjson::SUCCESS) {
        read_envelope(payload, event, has_op);
      } else if (top.reset().error() == simdjson::SUCCESS) {
        read_envelope(top, event, has_op);
      }
    }
  } catch (const simdjson::simdjson_error&) {
    if (!json::accept(*value)) not_json(*value, "value", position);
    throw DecodeError("value at " + where(position) +
                      " could not be read as a Debezium envelope; it begins: " +
                      std::string(value->substr(0, 120)));
  }
  if (!has_op) {
    throw DecodeError("value at " + where(position) +
                      " is not a Debezium envelope (no \"op\"): is an unwrap SMT "
                      "(ExtractNewRecordState) configured? It begins: " +
                      std::string(value->substr(0, 120)));
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
