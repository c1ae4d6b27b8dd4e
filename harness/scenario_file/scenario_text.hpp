#pragma once
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "harness/common/errors.hpp"

namespace cdc {

// A scenario file as written: steps, each a header line ("expect events table=public.t")
// and a body, the lines after it up to the next blank line (set, fault, wait, connector
// actions other than register, expect no-events and final-state are one line, no body).
// Lines starting with '#' are comments. See README "Scenario files" for the directives.
struct ScenarioStep {
  int line = 0;                                  // 1-based, of the header
  std::string header{};                          // the header line as written
  std::vector<std::string> words{};              // the header's words, the directive first
  std::map<std::string, std::string> options{};  // its key=value words (key="a b" quoted)
  std::vector<std::string> flags{};              // and its words after the first two without '='
  std::vector<std::string> body{};               // body lines, comments left out
  std::vector<int> body_line_numbers{};          // the line of each
  size_t body_begin = 0, body_end = 0;  // the body's lines, comments in, [begin, end) 0-based

  std::string directive() const { return words.empty() ? "" : words[0]; }
  std::string action() const { return words.size() > 1 ? words[1] : ""; }
  std::optional<std::string> option(const std::string& key) const;
  bool has_flag(const std::string& flag) const;
  std::string body_text() const;  // the body lines joined by '\n'
};

struct ScenarioText {
  std::filesystem::path path{};
  std::vector<std::string> lines{};  // the file's lines, as read
  std::vector<ScenarioStep> steps{};

  // "file:line: what", the form editors and CI annotations jump to.
  std::string at(int line, const std::string& what) const;
};

// A mistake in a scenario file, or an expectation it states that the pipeline did not meet:
// the message starts with file:line.
struct ScenarioError : HarnessError {
  using HarnessError::HarnessError;
  ScenarioError(const std::string& what, std::set<std::string> kinds_)
      : HarnessError(what), kinds(std::move(kinds_)) {}
  // What a failed expectation found: anomaly kinds ("lost", "image", …) or "final-state".
  std::set<std::string> kinds{};
};

ScenarioText parse_scenario(const std::filesystem::path& path, const std::string& text);
ScenarioText read_scenario(const std::filesystem::path& path);

// The file with each step's body replaced where `bodies` has one (step index -> lines).
std::string rewrite_bodies(const ScenarioText& text,
                           const std::map<size_t, std::vector<std::string>>& bodies);

}  // namespace cdc
