#pragma once
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace cdc {

// How an expected JSON value (from a scenario file) is held against an observed one.
// Anywhere in the expected value, {"$regex": "…"} matches a string (or a number's text) that
// the regular expression matches in full, and {"$any": true} matches any value, null too.
enum class MatchMode {
  Exact,   // objects have the same members (less ignored paths)
  Subset,  // the observed object may have members the expected one does not name
};

struct JsonMismatch {
  std::string path;  // "after.status", "key.id", "after.tags[2]"
  std::string expected;
  std::string observed;  // "(absent)" when the member is missing
};

// The differences between `expected` and `observed`, under `mode`; paths in `ignore`
// ("after.updated_at", or "updated_at" for that member at any depth) are not compared.
std::vector<JsonMismatch> json_mismatches(const nlohmann::json& expected,
                                          const nlohmann::json& observed, MatchMode mode,
                                          const std::vector<std::string>& ignore,
                                          const std::string& path = "");

// "after.status: expected \"new\", observed \"old\""
std::string describe(const JsonMismatch& mismatch);

}  // namespace cdc
