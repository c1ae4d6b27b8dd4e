#include "harness/checkers/json_text.hpp"

#include <gtest/gtest.h>

namespace cdc::unit {
namespace {
using nlohmann::json;

// The streaming check compares texts it wrote with texts nlohmann wrote: they must be the same.
TEST(JsonText, WritesWhatDumpWrites) {
  const std::vector<json> values = {
      json::parse(R"({"id":1001,"first_name":"Anne","email":"a@x.org","last_name":"K"})"),
      json::parse(
          R"({"quote":"say \"hi\"","slash":"a\\b","newline":"1\n2","tab":"\t","nul":"\u0001"})"),
      json::parse(R"({"accents":"Zoë Šťastná 日本","emoji":"🙂","del":"\u007f"})"),
      json::parse(R"({"f":1.5,"g":-0.0,"h":1e300,"i":0.1,"j":100.0})"),
      json::parse(R"({"big":18446744073709551615,"neg":-9223372036854775808,"zero":0})"),
      json::parse(R"({"a":[1,[2,{"b":null}],true,false,"x"],"e":{},"f":[]})"),
      json::parse(R"("just a string")"),
      json(nullptr),
  };
  for (const json& value : values) {
    std::string text = "prefix:";
    append_json_text(value, text);
    EXPECT_EQ(text, "prefix:" + value.dump());
  }
}

}  // namespace
}  // namespace cdc::unit
