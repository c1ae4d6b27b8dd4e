#pragma once
#include <string>

#include <nlohmann/json.hpp>

namespace cdc {

// Appends exactly what value.dump() returns, without its allocations and stream: the streaming
// check writes every event's key and images as text, into buffers it reuses.
void append_json_text(const nlohmann::json& value, std::string& out);

}  // namespace cdc
