#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace cdc {

// Records an Avro converter wrote in the Confluent wire format: a 0 byte, the writer schema's
// id in the registry (4 bytes, big-endian), then the datum in Avro's binary encoding.
// (Apicurio's AvroConverter with as-confluent=true and headers disabled; Confluent's own.)
bool is_confluent_avro(std::string_view record);
int32_t confluent_schema_id(std::string_view record);  // is_confluent_avro must hold

// The writer schemas of a registry, by id: fetch returns a schema's JSON text (or throws),
// and each id is fetched once per process.
using SchemaFetch = std::function<std::string(int32_t id)>;

// Turns Avro records into the JSON JsonConverter (schemas.enable=false) writes for the same
// Connect data, so every decoder and checker downstream reads one form: records are objects,
// unions their branch, enums their symbol, bytes and fixed base64 (as JsonConverter writes
// bytes: a Decimal's unscaled value, a VariableScaleDecimal's "value"), floats as the float
// they were. Logical types keep their underlying value, as JsonConverter does (a Debezium
// Date is days, a MicroTimestamp microseconds). One per reading thread: Avro C's values are
// not shared between threads.
class AvroRecords {
 public:
  explicit AvroRecords(SchemaFetch fetch);
  ~AvroRecords();
  AvroRecords(const AvroRecords&) = delete;
  AvroRecords& operator=(const AvroRecords&) = delete;

  // The record as JSON text. Throws DecodeError naming the schema id and what failed.
  std::string to_json_text(std::string_view record);

 private:
  struct Reader;
  Reader& reader_for(int32_t id);

  SchemaFetch fetch_;
  std::map<int32_t, std::unique_ptr<Reader>> readers_;
};

}  // namespace cdc
