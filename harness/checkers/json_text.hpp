#pragma once
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace cdc {

// Appends exactly what value.dump() returns, without its allocations and stream: the streaming
// check writes every event's key and images as text, into buffers it reuses.
void append_json_text(const nlohmann::json& value, std::string& out);

// A hash for maps keyed by JSON text that can be looked up by string_view (no key copy).
struct TextHash {
  using is_transparent = void;
  size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
};

}  // namespace cdc
