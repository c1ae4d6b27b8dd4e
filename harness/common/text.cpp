#include "harness/common/text.hpp"

#include <cstdio>
#include <sstream>
#include <vector>

namespace cdc {

namespace {

bool blank(const std::string& line) {
  return line.find_first_not_of(" \t\r") == std::string::npos;
}

}  // namespace

std::string first_line(const std::string& text, const std::string& none) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!blank(line)) return line;
  }
  return none;
}

std::string last_lines(const std::string& text, int count) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  while (!lines.empty() && blank(lines.back())) lines.pop_back();
  std::string out;
  const size_t from = lines.size() > static_cast<size_t>(count) ? lines.size() - count : 0;
  for (size_t i = from; i < lines.size(); ++i) out += lines[i] + "\n";
  return out;
}

std::string wrapped(const std::vector<std::string>& words, size_t from, size_t indent,
                    size_t width) {
  std::string out;
  size_t column = from;
  for (size_t i = 0; i < words.size(); ++i) {
    if (i > 0 && column + 1 + words[i].size() > width) {
      out += "\n" + std::string(indent, ' ');
      column = indent;
    } else if (i > 0) {
      out += ' ';
      ++column;
    }
    out += words[i];
    column += words[i].size();
  }
  return out;
}

std::string shortened(const std::string& text) {
  if (text.size() <= 120) return text;
  return text.substr(0, 60) + "…(" + std::to_string(text.size()) + " characters)";
}

std::string fixed(double value, int digits) {
  char text[32];
  std::snprintf(text, sizeof text, "%.*f", digits, value);
  return text;
}

std::string ms(int64_t micros) {
  return fixed(static_cast<double>(micros) / 1000.0, 1);
}

}  // namespace cdc
