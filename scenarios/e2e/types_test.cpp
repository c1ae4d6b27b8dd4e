// Types round-trip: each Postgres type arrives as Debezium documents it for the configured
// modes (decimal.handling.mode, time.precision.mode=adaptive, interval.handling.mode=numeric,
// binary.handling.mode=bytes), and NULL arrives as null.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "scenarios/anomaly_printing.hpp"
#include "scenarios/e2e/own_table.hpp"

namespace cdc::scenarios {
namespace {
using nlohmann::json;
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

const char* kTypeColumns =
    "c_small smallint, c_int integer, c_big bigint, c_num numeric(10,2), c_real real, "
    "c_double double precision, c_bool boolean, c_text text, c_varchar varchar(20), c_char "
    "char(5), "
    "c_date date, c_time time, c_ts timestamp, c_tstz timestamptz, c_interval interval, c_uuid "
    "uuid, "
    "c_jsonb jsonb, c_bytea bytea, c_int_arr integer[], c_text_arr text[], c_enum {t}_mood";

const char* kColumnNames =
    "c_small, c_int, c_big, c_num, c_real, c_double, c_bool, c_text, c_varchar, c_char, c_date, "
    "c_time, "
    "c_ts, c_tstz, c_interval, c_uuid, c_jsonb, c_bytea, c_int_arr, c_text_arr, c_enum";

const char* kValues =
    "-32768, 2147483647, 9223372036854775807, 12345678.91, 1.5, 3.25, true, 'héllo ☃ 😀', 'vc', "
    "'ab', "
    "'2024-02-29', '13:14:15.123456', '2024-02-29 13:14:15.123456', '2024-02-29 "
    "13:14:15.123456+02', "
    "'1 year 2 mons 3 days 04:05:06.5', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{\"b\": [1, 2], "
    "\"a\": null}', "
    "'\\xdeadbeef', '{1,2,3}', '{\"x\",\"y z\"}', 'happy'";

std::string base64(const std::vector<unsigned char>& bytes) {
  static const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (size_t i = 0; i < bytes.size(); i += 3) {
    const unsigned n = (bytes[i] << 16) | ((i + 1 < bytes.size() ? bytes[i + 1] : 0) << 8) |
                       (i + 2 < bytes.size() ? bytes[i + 2] : 0);
    out += alphabet[(n >> 18) & 63];
    out += alphabet[(n >> 12) & 63];
    out += i + 1 < bytes.size() ? alphabet[(n >> 6) & 63] : '=';
    out += i + 2 < bytes.size() ? alphabet[n & 63] : '=';
  }
  return out;
}

// numeric(10,2) 12345678.91 under each decimal.handling.mode: "precise" is Connect's
// Decimal, the unscaled value's big-endian two's-complement bytes (scale in the schema).
json expected_decimal(const std::string& mode) {
  if (mode == "string") return "12345678.91";
  if (mode == "double") return 12345678.91;
  const long unscaled = 1234567891;
  return base64({static_cast<unsigned char>(unscaled >> 24),
                 static_cast<unsigned char>(unscaled >> 16),
                 static_cast<unsigned char>(unscaled >> 8), static_cast<unsigned char>(unscaled)});
}

// The row of kValues as Debezium renders it.
json expected_row(const std::string& decimal_mode) {
  constexpr int64_t kMicrosPerSecond = 1'000'000;
  constexpr int64_t kMicrosPerDay = 86'400 * kMicrosPerSecond;
  return {
      {"c_small", -32768},
      {"c_int", 2147483647},
      {"c_big", 9223372036854775807LL},
      {"c_num", expected_decimal(decimal_mode)},
      {"c_real", 1.5},
      {"c_double", 3.25},
      {"c_bool", true},
      {"c_text", "héllo ☃ 😀"},
      {"c_varchar", "vc"},
      {"c_char", "ab   "},  // char(5) is blank-padded
      {"c_date", 19782},    // io.debezium.time.Date: days since 1970-01-01
      // io.debezium.time.MicroTime: microseconds since midnight
      {"c_time", (13 * 3600 + 14 * 60 + 15) * kMicrosPerSecond + 123456},
      // io.debezium.time.MicroTimestamp: microseconds since the epoch, no time zone
      {"c_ts", 19782 * kMicrosPerDay + (13 * 3600 + 14 * 60 + 15) * kMicrosPerSecond + 123456},
      {"c_tstz", "2024-02-29T11:14:15.123456Z"},  // io.debezium.time.ZonedTimestamp, in UTC
      // io.debezium.time.MicroDuration: a month counts 30.4375 days (365.25 / 12)
      {"c_interval", static_cast<int64_t>(((14 * 30.4375 + 3) * 86400 + 4 * 3600 + 5 * 60 + 6.5) *
                                          kMicrosPerSecond)},
      {"c_uuid", "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"},
      {"c_jsonb", R"({"a": null, "b": [1, 2]})"},  // io.debezium.data.Json: jsonb's own text
      {"c_bytea", base64({0xde, 0xad, 0xbe, 0xef})},
      {"c_int_arr", {1, 2, 3}},
      {"c_text_arr", {"x", "y z"}},
      {"c_enum", "happy"},  // io.debezium.data.Enum
  };
}

OwnTableSpec types_table(const std::string& decimal_mode) {
  OwnTableSpec spec;
  spec.before_table = "CREATE TYPE {t}_mood AS ENUM ('sad', 'ok', 'happy')";
  spec.after_drop = "DROP TYPE IF EXISTS {t}_mood";
  spec.columns = kTypeColumns;
  spec.connector_change = [decimal_mode](json& c) { c["decimal.handling.mode"] = decimal_mode; };
  return spec;
}

struct TypesTable : OwnTable {
  explicit TypesTable(const std::string& decimal_mode)
      : OwnTable(Pipeline::shared(), "types", types_table(decimal_mode)) {}
};

Verdict insert_and_check(OwnTable& table, const json& expected_after) {
  const int id = table.insert(kColumnNames, kValues);
  json after = expected_after;
  after["id"] = id;
  return check_events(table.next(), {expect::create({{"id", id}}).with_after(after)},
                      table.rules());
}

TEST(Types, EveryTypeRoundTripsUnderPreciseDecimals) {
  TypesTable table("precise");
  const Verdict verdict = insert_and_check(table, expected_row("precise"));
  EXPECT_TRUE(verdict.ok()) << verdict.summary();
}

TEST(Types, NumericArrivesAsStringUnderStringDecimals) {
  TypesTable table("string");
  const Verdict verdict = insert_and_check(table, expected_row("string"));
  EXPECT_TRUE(verdict.ok()) << verdict.summary();
}

TEST(Types, NullInEveryColumnArrivesAsNull) {
  TypesTable table("precise");
  const int id = table.exec("INSERT INTO {t} DEFAULT VALUES RETURNING id")[0][0].as<int>();
  json after = {{"id", id}};
  const json full_row = expected_row("precise");
  for (const auto& [column, value] : full_row.items()) after[column] = nullptr;
  const Verdict verdict =
      check_events(table.next(), {expect::create({{"id", id}}).with_after(after)}, table.rules());
  EXPECT_TRUE(verdict.ok()) << verdict.summary();
}

TEST(Types, EmptyStringStaysAnEmptyStringNotNull) {
  TypesTable table("precise");
  const int id = table.insert("c_text, c_varchar", "'', ''");
  const Verdict verdict = check_events(
      table.next(),
      {expect::create({{"id", id}})
           .with_after({{"id", id}, {"c_text", ""}, {"c_varchar", ""}, {"c_int", nullptr}})},
      table.rules());
  EXPECT_TRUE(verdict.ok()) << verdict.summary();
}

// Proof: an expectation for the wrong decimal mode fails, naming the column and both values.
TEST(Types, AWrongExpectationIsReportedColumnByColumn) {
  TypesTable table("precise");
  const Verdict verdict = insert_and_check(table, expected_row("string"));
  EXPECT_THAT(verdict.kinds(), ElementsAre(AnomalyKind::Image)) << verdict.summary();
  EXPECT_THAT(verdict.anomalies.at(0).evidence,
              AllOf(HasSubstr("after.c_num"), HasSubstr("12345678.91")));
}

}  // namespace
}  // namespace cdc::scenarios
