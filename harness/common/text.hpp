#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace cdc {

// The first non-blank line of `text`, or `none` when it has none: how a multi-line error
// (libpq's hint, docker's usage text) becomes a one-line message.
std::string first_line(const std::string& text, const std::string& none = "");

// The last `count` lines of `text`, trailing blank lines left out.
std::string last_lines(const std::string& text, int count);

// `words` joined by spaces, starting at column `from` and broken before a word that would pass
// `width`; each new line starts at column `indent`.
std::string wrapped(const std::vector<std::string>& words, size_t from, size_t indent,
                    size_t width);

// `text` as a failure message shows it: longer than a line (a TOASTed value), cut to its start
// and its length, "abc…(5000 characters)".
std::string shortened(const std::string& text);

// `value` with `digits` decimals: fixed(2.345, 1) is "2.3".
std::string fixed(double value, int digits = 1);
// Microseconds as milliseconds with one decimal: ms(1250) is "1.3".
std::string ms(int64_t micros);

}  // namespace cdc
