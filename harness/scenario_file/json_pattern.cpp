#include "harness/scenario_file/json_pattern.hpp"

#include <algorithm>
#include <regex>

#include "harness/common/text.hpp"

namespace cdc {
using nlohmann::json;

namespace {

std::string last_member(const std::string& path) {
  const auto dot = path.rfind('.');
  return dot == std::string::npos ? path : path.substr(dot + 1);
}

bool ignored(const std::string& path, const std::vector<std::string>& ignore) {
  return std::any_of(ignore.begin(), ignore.end(), [&](const std::string& i) {
    return i == path || (i.find('.') == std::string::npos && i == last_member(path));
  });
}

std::string joined(const std::string& path, const std::string& member) {
  return path.empty() ? member : path + "." + member;
}

bool is_pattern(const json& value) {
  return value.is_object() && value.size() == 1 &&
         (value.contains("$regex") || value.contains("$any"));
}

// Observed text as a regex sees it: a string's characters, anything else its JSON.
std::string text_of(const json& value) {
  return value.is_string() ? value.get<std::string>() : value.dump();
}

}  // namespace

std::vector<JsonMismatch> json_mismatches(const json& expected, const json& observed,
                                          MatchMode mode, const std::vector<std::string>& ignore,
                                          const std::string& path) {
  std::vector<JsonMismatch> out;
  if (!path.empty() && ignored(path, ignore)) return out;
  const auto mismatch = [&] { out.push_back({path, expected.dump(), observed.dump()}); };
  if (is_pattern(expected)) {
    if (expected.contains("$any")) return out;
    const auto& pattern = expected["$regex"];
    if (!pattern.is_string() || observed.is_null() || observed.is_structured() ||
        !std::regex_match(text_of(observed), std::regex(pattern.get<std::string>()))) {
      mismatch();
    }
    return out;
  }
  if (expected.is_object() && observed.is_object()) {
    for (const auto& [member, value] : expected.items()) {
      const std::string at = joined(path, member);
      if (!observed.contains(member)) {
        if (!ignored(at, ignore)) out.push_back({at, value.dump(), "(absent)"});
        continue;
      }
      auto inner = json_mismatches(value, observed[member], mode, ignore, at);
      out.insert(out.end(), inner.begin(), inner.end());
    }
    if (mode == MatchMode::Exact) {
      for (const auto& [member, value] : observed.items()) {
        const std::string at = joined(path, member);
        if (!expected.contains(member) && !ignored(at, ignore))
          out.push_back({at, "(absent)", value.dump()});
      }
    }
    return out;
  }
  if (expected.is_array() && observed.is_array()) {
    if (expected.size() != observed.size()) {
      mismatch();
      return out;
    }
    for (size_t i = 0; i < expected.size(); ++i) {
      auto inner = json_mismatches(expected[i], observed[i], mode, ignore,
                                   path + "[" + std::to_string(i) + "]");
      out.insert(out.end(), inner.begin(), inner.end());
    }
    return out;
  }
  // nlohmann compares numbers by value across integer and floating types (1 == 1.0).
  const bool equal = expected == observed;
  if (!equal) mismatch();
  return out;
}

std::string describe(const JsonMismatch& m) {
  return (m.path.empty() ? std::string("value") : m.path) + ": expected " + shortened(m.expected) +
         ", observed " + shortened(m.observed);
}

}  // namespace cdc
