// Avro records as the observer reads them, from one row of many types captured on the native
// stack by two connectors on the same table: one writing Avro through Apicurio Registry (the
// Confluent wire format), one writing JsonConverter's JSON. Both must decode to the same
// change events, so every checker reads an Avro pipeline as it reads a JSON one.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "harness/observer/avro_records.hpp"
#include "harness/observer/envelope_decoder.hpp"

namespace cdc {
namespace {

using nlohmann::json;

json recorded() {
  std::ifstream in(std::string(CDC_RECORDED_DIR) + "/avro-types.json");
  return json::parse(in);
}

std::string unhex(const std::string& hex) {
  std::string bytes;
  for (size_t i = 0; i + 1 < hex.size(); i += 2)
    bytes += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  return bytes;
}

SchemaFetch schemas_of(const json& file, int* fetches = nullptr) {
  return [&file, fetches](int32_t id) {
    if (fetches) ++*fetches;
    const std::string key = std::to_string(id);
    if (!file["schemas"].contains(key)) throw DecodeError("no schema " + key);
    return file["schemas"][key].get<std::string>();
  };
}

ChangeEvent decoded(const std::string& key, const std::optional<std::string>& value) {
  return decode_change_event(key, value ? std::optional<std::string_view>(*value) : std::nullopt,
                             KafkaPosition{});
}

TEST(AvroRecords, DecodeToTheSameEventsAsJsonConverterWrites) {
  const json file = recorded();
  int fetches = 0;
  AvroRecords avro(schemas_of(file, &fetches));
  ASSERT_EQ(file["avro"].size(), file["json"].size());
  ASSERT_EQ(file["avro"].size(), 4u);  // create, update, delete, tombstone
  for (size_t i = 0; i < file["avro"].size(); ++i) {
    const json& a = file["avro"][i];
    const json& j = file["json"][i];
    const std::string avro_key = unhex(a[0]);
    ASSERT_TRUE(is_confluent_avro(avro_key));
    const std::optional<std::string> avro_value =
        a[1].is_null() ? std::nullopt : std::optional<std::string>(avro.to_json_text(unhex(a[1])));
    const ChangeEvent from_avro = decoded(avro.to_json_text(avro_key), avro_value);
    const ChangeEvent from_json = decoded(
        j[0], j[1].is_null() ? std::nullopt : std::optional<std::string>(j[1].get<std::string>()));
    SCOPED_TRACE("record " + std::to_string(i));
    EXPECT_EQ(from_avro.op, from_json.op);
    EXPECT_EQ(from_avro.key, from_json.key);
    EXPECT_EQ(from_avro.before, from_json.before);
    EXPECT_EQ(from_avro.after, from_json.after);
    EXPECT_EQ(from_avro.source.lsn, from_json.source.lsn);
    EXPECT_EQ(from_avro.source.tx_id, from_json.source.tx_id);
    EXPECT_EQ(from_avro.source.ts_us, from_json.source.ts_us);
    EXPECT_EQ(from_avro.source.table, from_json.source.table);
  }
  EXPECT_EQ(fetches, 2) << "each writer schema is fetched once (key and value)";
}

TEST(AvroRecords, LogicalTypesKeepJsonConvertersValues) {
  const json file = recorded();
  AvroRecords avro(schemas_of(file));
  const json after = json::parse(avro.to_json_text(unhex(file["avro"][0][1])))["after"];
  EXPECT_EQ(after["price"], "AeJA");       // Decimal 1234.56: the unscaled bytes, base64
  EXPECT_EQ(after["ratio"]["scale"], 14);  // VariableScaleDecimal: a struct
  EXPECT_EQ(after["r"], 1.1);              // a float as the float it was, not 1.100000023…
  EXPECT_EQ(after["day"], 19782);          // Date: days since the epoch
  EXPECT_EQ(after["at_tstz"], "2024-02-29T11:45:30.123456Z");  // ZonedTimestamp
  EXPECT_EQ(after["raw"], "3q2+7wA=");                         // bytea
  EXPECT_EQ(after["tags"], json::array({"a", "b c"}));
  EXPECT_EQ(after["big"], 9223372036854775807);
  EXPECT_EQ(after["note"], "héllo \"quoted\"");
  EXPECT_TRUE(after["nothing"].is_null());
}

TEST(AvroRecords, ARecordThatIsNotAvroOrWhoseSchemaIsUnknownIsADecodeError) {
  const json file = recorded();
  AvroRecords avro(schemas_of(file));
  EXPECT_FALSE(is_confluent_avro(R"({"id":1})"));
  EXPECT_THROW(avro.to_json_text(R"({"id":1})"), DecodeError);
  std::string unknown_id = unhex(file["avro"][0][0]);
  unknown_id[4] = 99;
  EXPECT_THROW(avro.to_json_text(unknown_id), DecodeError);
  std::string cut = unhex(file["avro"][0][1]);
  cut.resize(12);
  EXPECT_THROW(avro.to_json_text(cut), DecodeError);
}

}  // namespace
}  // namespace cdc
