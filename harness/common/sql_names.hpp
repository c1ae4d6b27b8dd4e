#pragma once
#include <string>

namespace cdc {

// A table's name as Postgres stores it (case and all), whatever way a user wrote it.
struct TableName {
  std::string schema{};
  std::string table{};

  // "schema"."table", quoted wherever the harness puts it into SQL: mixed case, reserved
  // words and any character survive.
  std::string sql() const;
  // schema.table, unquoted: Debezium's data-collection name, and its topic's suffix.
  std::string dotted() const;
};

// `name` as SQL reads it: [schema.]table, each part either "quoted" (kept as written, ""
// for a quote) or bare (folded to lower case, as Postgres folds it); no schema is `public`.
// Throws std::invalid_argument naming what is wrong.
TableName parse_table_name(const std::string& name);

// A single identifier, quoted for SQL.
std::string quoted_identifier(const std::string& name);

}  // namespace cdc
