#include "harness/checkers/json_text.hpp"

#include <charconv>

namespace cdc {
using nlohmann::json;

namespace {

// Strings that need no escaping are written as they are; the rest as nlohmann escapes them.
void append_string(const std::string& text, std::string& out) {
  for (const char c : text) {
    if (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20) {
      out += json(text).dump();
      return;
    }
  }
  out += '"';
  out += text;
  out += '"';
}

template <typename Integer>
void append_integer(Integer number, std::string& out) {
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, number).ptr;
  out.append(digits, end);
}

}  // namespace

void append_json_text(const json& value, std::string& out) {
  switch (value.type()) {
    case json::value_t::object: {
      out += '{';
      bool first = true;
      for (const auto& [name, field] : value.get_ref<const json::object_t&>()) {
        if (!first) out += ',';
        first = false;
        append_string(name, out);
        out += ':';
        append_json_text(field, out);
      }
      out += '}';
      return;
    }
    case json::value_t::array: {
      out += '[';
      bool first = true;
      for (const auto& element : value) {
        if (!first) out += ',';
        first = false;
        append_json_text(element, out);
      }
      out += ']';
      return;
    }
    case json::value_t::string:
      append_string(value.get_ref<const std::string&>(), out);
      return;
    case json::value_t::number_integer:
      append_integer(value.get<int64_t>(), out);
      return;
    case json::value_t::number_unsigned:
      append_integer(value.get<uint64_t>(), out);
      return;
    case json::value_t::boolean:
      out += value.get<bool>() ? "true" : "false";
      return;
    case json::value_t::null:
      out += "null";
      return;
    default:  // floating point (nlohmann's shortest round trip), binary
      out += value.dump();
      return;
  }
}

}  // namespace cdc
