#include "harness/common/sql_names.hpp"

#include <cctype>
#include <stdexcept>
#include <vector>

namespace cdc {

std::string quoted_identifier(const std::string& name) {
  std::string out = "\"";
  for (const char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string TableName::sql() const {
  return quoted_identifier(schema) + "." + quoted_identifier(table);
}

std::string TableName::dotted() const {
  return schema + "." + table;
}

TableName parse_table_name(const std::string& name) {
  std::vector<std::string> parts(1);
  bool quoted = false, part_quoted = false;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    if (quoted) {
      if (c == '"' && i + 1 < name.size() && name[i + 1] == '"') {
        parts.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        parts.back() += c;
      }
    } else if (c == '"' && parts.back().empty() && !part_quoted) {
      quoted = part_quoted = true;
    } else if (c == '.') {
      if (parts.back().empty()) break;
      parts.emplace_back();
      part_quoted = false;
    } else if (part_quoted) {
      throw std::invalid_argument("`" + name + "`: nothing may follow a quoted name but '.'");
    } else {
      parts.back() += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  if (quoted) throw std::invalid_argument("`" + name + "`: a quote is not closed");
  for (const auto& part : parts) {
    if (part.empty() || parts.size() > 2) {
      throw std::invalid_argument("`" + name +
                                  "` is not a table name: write schema.table, with \"Quotes\" "
                                  "around a part in mixed case");
    }
  }
  return parts.size() == 1 ? TableName{"public", parts[0]} : TableName{parts[0], parts[1]};
}

}  // namespace cdc
