#include "harness/scenario_file/scenario_text.hpp"

#include <fstream>
#include <sstream>
#include <utility>

namespace cdc {

namespace {

bool blank(const std::string& line) {
  return line.find_first_not_of(" \t\r") == std::string::npos;
}

bool comment(const std::string& line) {
  const auto first = line.find_first_not_of(" \t");
  return first != std::string::npos && line[first] == '#';
}

// Words split at spaces, as written; a double-quoted stretch (key="a b") stays in one word.
std::vector<std::string> header_words(const ScenarioText& text, int line_no,
                                      const std::string& line) {
  std::vector<std::string> words;
  std::string word;
  bool quoted = false, in_word = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (c == '"') {
      quoted = !quoted;
      word += c;
      in_word = true;
    } else if (c == '\\' && quoted && i + 1 < line.size()) {
      word += c;
      word += line[++i];
    } else if ((c == ' ' || c == '\t' || c == '\r') && !quoted) {
      if (in_word) words.push_back(std::exchange(word, {}));
      in_word = false;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (quoted) throw ScenarioError(text.at(line_no, "a quote is not closed: close it with \""));
  if (in_word) words.push_back(word);
  return words;
}

// A value that is one quoted stretch ("a b", key="a # b") without its quotes; any other value
// as written, its quotes kept (table=public."Orders": SQL's quotes, which keep the case).
std::string unquoted(const std::string& value) {
  if (value.size() < 2 || value.front() != '"' || value.back() != '"') return value;
  std::string out;
  for (size_t i = 1; i + 1 < value.size(); ++i) {
    if (value[i] == '\\' && i + 2 < value.size()) {
      out += value[++i];
    } else if (value[i] == '"') {
      return value;  // "a"."b": two stretches
    } else {
      out += value[i];
    }
  }
  return out;
}

// Steps that are one line: the next line starts another step, blank line or not.
bool takes_body(const ScenarioStep& step) {
  const std::string d = step.directive(), a = step.action();
  if (d == "set" || d == "fault" || d == "wait") return false;
  if (d == "connector") return a == "register";
  if (d == "expect") return a != "no-events" && a != "final-state";
  return true;
}

// The header without a trailing comment: from a '#' after a space, outside quotes.
std::string without_comment(const std::string& line) {
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '"' && (i == 0 || line[i - 1] != '\\')) quoted = !quoted;
    if (!quoted && line[i] == '#' && i > 0 && (line[i - 1] == ' ' || line[i - 1] == '\t')) {
      std::string out = line.substr(0, i);
      out.erase(out.find_last_not_of(" \t") + 1);
      return out;
    }
  }
  return line;
}

}  // namespace

std::optional<std::string> ScenarioStep::option(const std::string& key) const {
  const auto it = options.find(key);
  if (it == options.end()) return std::nullopt;
  return it->second;
}

bool ScenarioStep::has_flag(const std::string& flag) const {
  for (const auto& f : flags) {
    if (f == flag) return true;
  }
  return false;
}

std::string ScenarioStep::body_text() const {
  std::string out;
  for (const auto& text : body) out += text + "\n";
  return out;
}

std::string ScenarioText::at(int line_no, const std::string& what) const {
  return path.string() + ":" + std::to_string(line_no) + ": " + what;
}

ScenarioText parse_scenario(const std::filesystem::path& path, const std::string& text) {
  ScenarioText out;
  out.path = path;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.lines.push_back(line);
  for (size_t i = 0; i < out.lines.size();) {
    const std::string& line = out.lines[i];
    if (blank(line) || comment(line)) {
      ++i;
      continue;
    }
    ScenarioStep step;
    step.line = static_cast<int>(i) + 1;
    step.header = without_comment(line);
    // "key=value" words after the directive (and its action) are options; the rest flags.
    size_t index = 0;
    for (auto& raw : header_words(out, step.line, step.header)) {
      const auto eq = raw.find('=');
      const bool option = index >= 1 && eq != std::string::npos && eq > 0 && raw[0] != '"';
      const std::string word = unquoted(raw);
      if (option) {
        step.options[raw.substr(0, eq)] = unquoted(raw.substr(eq + 1));
      } else if (index >= 2) {
        step.flags.push_back(word);
        step.words.push_back(word);
      } else {
        step.words.push_back(word);
      }
      ++index;
    }
    step.body_begin = ++i;
    while (i < out.lines.size() && !blank(out.lines[i]) && takes_body(step)) {
      if (!comment(out.lines[i])) {
        step.body.push_back(out.lines[i]);
        step.body_line_numbers.push_back(static_cast<int>(i) + 1);
      }
      ++i;
    }
    step.body_end = i;
    out.steps.push_back(std::move(step));
  }
  return out;
}

ScenarioText read_scenario(const std::filesystem::path& path) {
  std::ifstream file(path);
  if (!file) {
    throw ScenarioError(path.string() + ": cannot read the scenario file: check the path");
  }
  std::stringstream text;
  text << file.rdbuf();
  return parse_scenario(path, text.str());
}

std::string rewrite_bodies(const ScenarioText& text,
                           const std::map<size_t, std::vector<std::string>>& bodies) {
  std::string out;
  size_t next_line = 0;
  for (size_t s = 0; s < text.steps.size(); ++s) {
    const auto it = bodies.find(s);
    if (it == bodies.end()) continue;
    const ScenarioStep& step = text.steps[s];
    for (; next_line < step.body_begin; ++next_line) out += text.lines[next_line] + "\n";
    for (const auto& line : it->second) out += line + "\n";
    next_line = step.body_end;
  }
  for (; next_line < text.lines.size(); ++next_line) out += text.lines[next_line] + "\n";
  return out;
}

}  // namespace cdc
