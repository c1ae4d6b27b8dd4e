#include "harness/observer/avro_records.hpp"

#include <avro.h>

#include <charconv>
#include <nlohmann/json.hpp>

#include "harness/observer/envelope_decoder.hpp"

namespace cdc {
using nlohmann::json;

namespace {

std::string base64(const void* data, size_t size) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const auto* bytes = static_cast<const unsigned char*>(data);
  std::string out;
  out.reserve((size + 2) / 3 * 4);
  for (size_t i = 0; i < size; i += 3) {
    const uint32_t n = (uint32_t{bytes[i]} << 16) |
                       (i + 1 < size ? uint32_t{bytes[i + 1]} << 8 : 0) |
                       (i + 2 < size ? uint32_t{bytes[i + 2]} : 0);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < size ? kAlphabet[(n >> 6) & 63] : '=';
    out += i + 2 < size ? kAlphabet[n & 63] : '=';
  }
  return out;
}

[[noreturn]] void failed(int32_t id, const std::string& what) {
  throw DecodeError("Avro record of schema id " + std::to_string(id) + ": " + what + " (" +
                    avro_strerror() + ")");
}

// Java prints a float as the shortest text that reads back as that float: 1.1f is "1.1",
// which as a double would be 1.100000023841858.
json float_value(float f) {
  char text[32];
  const auto end = std::to_chars(text, text + sizeof text, f).ptr;
  return json::parse(std::string_view(text, static_cast<size_t>(end - text)));
}

json to_json(avro_value_t* value, int32_t id) {
  switch (avro_value_get_type(value)) {
    case AVRO_NULL:
      return nullptr;
    case AVRO_BOOLEAN: {
      int b = 0;
      avro_value_get_boolean(value, &b);
      return b != 0;
    }
    case AVRO_INT32: {
      int32_t n = 0;
      avro_value_get_int(value, &n);
      return n;
    }
    case AVRO_INT64: {
      int64_t n = 0;
      avro_value_get_long(value, &n);
      return n;
    }
    case AVRO_FLOAT: {
      float f = 0;
      avro_value_get_float(value, &f);
      return float_value(f);
    }
    case AVRO_DOUBLE: {
      double d = 0;
      avro_value_get_double(value, &d);
      return d;
    }
    case AVRO_STRING: {
      const char* text = nullptr;
      size_t size = 0;  // with the terminating NUL
      avro_value_get_string(value, &text, &size);
      return std::string(text, size > 0 ? size - 1 : 0);
    }
    case AVRO_BYTES: {
      const void* data = nullptr;
      size_t size = 0;
      avro_value_get_bytes(value, &data, &size);
      return base64(data, size);
    }
    case AVRO_FIXED: {
      const void* data = nullptr;
      size_t size = 0;
      avro_value_get_fixed(value, &data, &size);
      return base64(data, size);
    }
    case AVRO_ENUM: {
      int symbol = 0;
      avro_value_get_enum(value, &symbol);
      const char* name = avro_schema_enum_get(avro_value_get_schema(value), symbol);
      return name != nullptr ? json(name) : json(symbol);
    }
    case AVRO_UNION: {
      avro_value_t branch;
      if (avro_value_get_current_branch(value, &branch) != 0) failed(id, "a union without branch");
      return to_json(&branch, id);
    }
    case AVRO_RECORD:
    case AVRO_MAP: {
      json object = json::object();
      size_t count = 0;
      avro_value_get_size(value, &count);
      for (size_t i = 0; i < count; ++i) {
        avro_value_t child;
        const char* name = nullptr;
        avro_value_get_by_index(value, i, &child, &name);
        object[name != nullptr ? name : std::to_string(i)] = to_json(&child, id);
      }
      return object;
    }
    case AVRO_ARRAY: {
      json array = json::array();
      size_t count = 0;
      avro_value_get_size(value, &count);
      for (size_t i = 0; i < count; ++i) {
        avro_value_t child;
        avro_value_get_by_index(value, i, &child, nullptr);
        array.push_back(to_json(&child, id));
      }
      return array;
    }
    default:
      failed(id, "an Avro type the harness does not read");
  }
}

}  // namespace

bool is_confluent_avro(std::string_view record) {
  return record.size() >= 5 && record[0] == '\0';
}

int32_t confluent_schema_id(std::string_view record) {
  const auto byte = [&](size_t i) { return uint32_t{static_cast<unsigned char>(record[i])}; };
  return static_cast<int32_t>(byte(1) << 24 | byte(2) << 16 | byte(3) << 8 | byte(4));
}

// A writer schema, parsed once, with a value of its class to read records into.
struct AvroRecords::Reader {
  avro_schema_t schema = nullptr;
  avro_value_iface_t* iface = nullptr;
  avro_value_t value{};
  avro_reader_t input = nullptr;

  ~Reader() {
    if (input != nullptr) avro_reader_free(input);
    if (iface != nullptr) {
      avro_value_decref(&value);
      avro_value_iface_decref(iface);
    }
    if (schema != nullptr) avro_schema_decref(schema);
  }
};

AvroRecords::AvroRecords(SchemaFetch fetch) : fetch_(std::move(fetch)) {}
AvroRecords::~AvroRecords() = default;

AvroRecords::Reader& AvroRecords::reader_for(int32_t id) {
  if (auto found = readers_.find(id); found != readers_.end()) return *found->second;
  const std::string text = fetch_(id);
  auto reader = std::make_unique<Reader>();
  if (avro_schema_from_json_length(text.data(), text.size(), &reader->schema) != 0)
    failed(id, "its writer schema does not parse");
  reader->iface = avro_generic_class_from_schema(reader->schema);
  if (reader->iface == nullptr) failed(id, "no value class for its writer schema");
  if (avro_generic_value_new(reader->iface, &reader->value) != 0) {
    avro_value_iface_decref(reader->iface);
    reader->iface = nullptr;
    failed(id, "no value for its writer schema");
  }
  reader->input = avro_reader_memory(nullptr, 0);
  return *readers_.emplace(id, std::move(reader)).first->second;
}

std::string AvroRecords::to_json_text(std::string_view record) {
  if (!is_confluent_avro(record))
    throw DecodeError("not a record in the Confluent wire format (0 byte, 4-byte schema id)");
  const int32_t id = confluent_schema_id(record);
  Reader& reader = reader_for(id);
  avro_reader_memory_set_source(reader.input, record.data() + 5,
                                static_cast<int64_t>(record.size() - 5));
  avro_value_reset(&reader.value);
  if (avro_value_read(reader.input, &reader.value) != 0)
    failed(id, "its bytes do not read as its writer schema");
  return to_json(&reader.value, id).dump();
}

}  // namespace cdc
