#include "harness/explore/case.hpp"

#include <algorithm>
#include <map>

#include "harness/common/enum_names.hpp"
#include "harness/scenario_file/scenario_text.hpp"

namespace cdc::explore {
using nlohmann::json;

namespace {

const EnumName<ColumnType> kTypes[] = {{ColumnType::Int, "int"},
                                       {ColumnType::BigInt, "bigint"},
                                       {ColumnType::Text, "text"},
                                       {ColumnType::Boolean, "boolean"},
                                       {ColumnType::Numeric, "numeric"},
                                       {ColumnType::Timestamptz, "timestamptz"},
                                       {ColumnType::Jsonb, "jsonb"},
                                       {ColumnType::Bytea, "bytea"},
                                       {ColumnType::TextArray, "text-array"},
                                       {ColumnType::LargeText, "large-text"},
                                       {ColumnType::Enum, "enum"}};

const EnumName<StatementKind> kStatements[] = {{StatementKind::Insert, "insert"},
                                               {StatementKind::Update, "update"},
                                               {StatementKind::Delete, "delete"},
                                               {StatementKind::KeyUpdate, "key-update"},
                                               {StatementKind::Truncate, "truncate"}};

const json kAny = json{{"$any", true}};

std::string qualified(const Table& t) {
  return "public." + t.name;
}

// One publication for a case's tables; ${run} makes it the file run's own.
const char* const kPublication = "explore_${run}_pub";

json key_of(const Table& t, const std::vector<Value>& row) {
  json key = json::object();
  for (size_t i = 0; i < t.key_columns; ++i) key[t.columns[i].name] = row[i].json;
  return key;
}

// The key an event carries: none for a table without a primary key.
json event_key(const Table& t, const std::vector<Value>& row) {
  return t.keyless ? json(nullptr) : key_of(t, row);
}

std::string where_key(const Table& t, const std::vector<Value>& key) {
  std::string where;
  for (size_t i = 0; i < t.key_columns; ++i)
    where += (i ? " AND " : "") + t.columns[i].name + " = " + key[i].sql;
  return where;
}

// How Debezium renders a numeric(10,2) under decimal.handling.mode (null: not predicted).
std::optional<json> numeric_rendering(const Value& v, const Settings& settings) {
  if (v.sql == "NULL") return json(nullptr);
  if (settings.decimal_mode == "string") return json(v.sql);
  if (settings.decimal_mode == "double") return json(std::stod(v.sql));
  return std::nullopt;  // precise: Kafka Connect's Decimal, bytes of the unscaled value
}

bool excluded(const Table& t, const Column& column, const Settings& settings) {
  return settings.excluded_column == t.name + "." + column.name;
}

// An image as an event line states it: unpredicted values as {"$any": true}.
json image(const Table& t, const std::vector<Value>& row, const Settings& settings,
           const std::vector<bool>& unknown = {}) {
  json out = json::object();
  for (size_t i = 0; i < t.columns.size(); ++i) {
    if (excluded(t, t.columns[i], settings)) continue;  // column.exclude.list
    std::optional<json> value;
    if (t.columns[i].type == ColumnType::Numeric) {
      value = numeric_rendering(row[i], settings);
    } else if (row[i].predicted) {
      value = row[i].json;
    }
    const bool known = value && (unknown.empty() || !unknown[i]);
    out[t.columns[i].name] = known ? *value : kAny;
  }
  return out;
}

// The oracle: each table's events, in commit order, as `expect events` lines.
std::vector<std::vector<std::string>> expected_events(const Case& c) {
  std::vector<std::vector<std::string>> lines(c.tables.size());
  std::vector<std::map<std::string, std::vector<Value>>> rows(c.tables.size());
  const Settings& s = c.settings;
  const bool skip_updates = s.skipped_operations == "u";
  for (const auto& tx : c.transactions) {
    if (tx.rollback) continue;
    for (const auto& st : tx.statements) {
      if (st.rolled_back_to_savepoint) continue;
      const Table& t = c.tables[st.table];
      auto& table_rows = rows[st.table];
      auto& out = lines[st.table];
      const auto deleted = [&](const std::vector<Value>& row) {
        const json key = event_key(t, row);
        out.push_back("d " + key.dump() + (t.identity_full() ? " " + image(t, row, s).dump() : ""));
        if (s.tombstones) out.push_back("tombstone " + key.dump());
      };
      switch (st.kind) {
        case StatementKind::Insert:
          for (const auto& row : st.rows) {
            table_rows[key_of(t, row).dump()] = row;
            out.push_back("c " + event_key(t, row).dump() + " " + image(t, row, s).dump());
          }
          break;
        case StatementKind::Update: {
          const auto it = table_rows.find(key_of(t, st.key).dump());
          if (it == table_rows.end()) break;  // no such row: UPDATE 0
          std::vector<bool> unknown(t.columns.size(), false);
          for (size_t i = 0; i < t.columns.size(); ++i) {
            // An unchanged out-of-line value is not in the WAL under DEFAULT: Debezium sends a
            // placeholder for it.
            unknown[i] = t.columns[i].type == ColumnType::LargeText && !t.identity_full();
          }
          for (const auto& [column, value] : st.set) {
            it->second[column] = value;
            unknown[column] = false;
          }
          if (!skip_updates)
            out.push_back("u " + event_key(t, it->second).dump() + " " +
                          image(t, it->second, s, unknown).dump());
          break;
        }
        case StatementKind::Delete: {
          const auto it = table_rows.find(key_of(t, st.key).dump());
          if (it == table_rows.end()) break;
          deleted(it->second);
          table_rows.erase(it);
          break;
        }
        case StatementKind::Truncate:
          // One event for the table, keyed by nothing (skipped.operations here never holds t).
          table_rows.clear();
          out.push_back("t null after=null source={\"table\": \"" + t.name + "\"}");
          break;
        case StatementKind::KeyUpdate: {
          const auto it = table_rows.find(key_of(t, st.key).dump());
          if (it == table_rows.end()) break;
          std::vector<Value> moved = it->second;
          for (const auto& [column, value] : st.set) moved[column] = value;
          if (t.keyless) {  // no key changes: an update of a column
            table_rows.erase(it);
            table_rows[key_of(t, moved).dump()] = moved;
            if (!skip_updates) out.push_back("u null " + image(t, moved, s).dump());
            break;
          }
          deleted(it->second);
          table_rows.erase(it);
          table_rows[key_of(t, moved).dump()] = moved;
          out.push_back("c " + key_of(t, moved).dump() + " " + image(t, moved, s).dump());
          break;
        }
      }
    }
  }
  return lines;
}

// Whether `expect final-state` can hold the events' last image of such a column to SELECT:
// the harness compares row_to_json's values (and their text, where events carry text).
bool rendering_predicted(ColumnType type, const Settings& settings, bool full_identity) {
  switch (type) {
    case ColumnType::Numeric:
      return settings.decimal_mode != "precise";
    case ColumnType::Timestamptz:
    case ColumnType::Jsonb:
    case ColumnType::Bytea:
      return false;
    case ColumnType::LargeText:  // an untouched out-of-line value: a placeholder under DEFAULT
      return full_identity;
    default:
      return true;
  }
}

std::string statement_sql(const Table& t, const Statement& st) {
  switch (st.kind) {
    case StatementKind::Insert: {
      std::string values;
      for (const auto& row : st.rows) {
        std::string one;
        for (const auto& v : row) one += (one.empty() ? "" : ", ") + v.sql;
        values += (values.empty() ? "(" : ", (") + one + ")";
      }
      return "INSERT INTO " + t.name + " VALUES " + values + ";";
    }
    case StatementKind::Update:
    case StatementKind::KeyUpdate: {
      std::string set;
      for (const auto& [column, value] : st.set)
        set += (set.empty() ? "" : ", ") + t.columns[column].name + " = " + value.sql;
      return "UPDATE " + t.name + " SET " + set + " WHERE " + where_key(t, st.key) + ";";
    }
    case StatementKind::Delete:
      return "DELETE FROM " + t.name + " WHERE " + where_key(t, st.key) + ";";
    case StatementKind::Truncate:
      return "TRUNCATE " + t.name + ";";
  }
  return "";
}

// A bulk load: the insert's rows as a query whose column names are the table's.
std::string copy_step_text(const Table& t, const Statement& st) {
  std::string columns, values;
  for (const auto& column : t.columns) columns += (columns.empty() ? "" : ", ") + column.name;
  for (const auto& row : st.rows) {
    std::string one;
    for (const auto& v : row) one += (one.empty() ? "" : ", ") + v.sql;
    values += (values.empty() ? "(" : ",\n(") + one + ")";
  }
  return "copy table=" + qualified(t) + "\nSELECT * FROM (VALUES\n" + values + "\n) AS v (" +
         columns + ")\n\n";
}

}  // namespace

const std::vector<ColumnType>& all_column_types() {
  static const std::vector<ColumnType> types = values_in(kTypes);
  return types;
}

std::string type_name(ColumnType type) {
  return name_in(kTypes, type);
}

std::string statement_name(StatementKind kind) {
  return name_in(kStatements, kind);
}

std::string sql_type(ColumnType type) {
  switch (type) {
    case ColumnType::Int:
      return "int";
    case ColumnType::BigInt:
      return "bigint";
    case ColumnType::Text:
    case ColumnType::LargeText:
      return "text";
    case ColumnType::Boolean:
      return "boolean";
    case ColumnType::Numeric:
      return "numeric(10,2)";
    case ColumnType::Timestamptz:
      return "timestamptz";
    case ColumnType::Jsonb:
      return "jsonb";
    case ColumnType::Bytea:
      return "bytea";
    case ColumnType::TextArray:
      return "text[]";
    case ColumnType::Enum:
      return kEnumType;
  }
  return "text";
}

json Settings::as_json() const {
  // Only what differs from the base connector (debezium/customer-cdc.json): the oracle takes
  // the base's settings as the harness's, so a base that differs is a planted defect.
  json out = json::object();
  if (!tombstones) out["tombstones.on.delete"] = "false";
  if (skipped_operations != "none") out["skipped.operations"] = skipped_operations;
  if (decimal_mode != "precise") out["decimal.handling.mode"] = decimal_mode;
  if (!excluded_column.empty()) out["column.exclude.list"] = "public." + excluded_column;
  if (transaction_metadata) out["provide.transaction.metadata"] = "true";
  if (heartbeats) out["heartbeat.interval.ms"] = "1000";
  return out;
}

std::vector<std::string> Settings::changed() const {
  std::vector<std::string> out;
  if (!tombstones) out.push_back("tombstones.on.delete=false");
  if (skipped_operations != "none") out.push_back("skipped.operations=" + skipped_operations);
  if (decimal_mode != "precise") out.push_back("decimal.handling.mode=" + decimal_mode);
  if (!excluded_column.empty()) out.push_back("column.exclude.list=public." + excluded_column);
  if (transaction_metadata) out.push_back("provide.transaction.metadata=true");
  if (heartbeats) out.push_back("heartbeat.interval.ms=1000");
  return out;
}

size_t Case::statement_count() const {
  size_t n = 0;
  for (const auto& tx : transactions) n += tx.statements.size();
  return n;
}

size_t expected_event_count(const Case& c) {
  size_t n = 0;
  for (const auto& lines : expected_events(c)) n += lines.size();
  return n;
}

bool is_bulk(const Transaction& tx) {
  if (tx.copy) return true;
  if (tx.rollback) return false;
  size_t rows = 0;
  for (const auto& st : tx.statements)
    if (st.kind == StatementKind::Insert && !st.rolled_back_to_savepoint) rows += st.rows.size();
  return rows >= kBulkRows;
}

bool fault_fits_inside_a_transaction(const std::string& fault) {
  return fault.rfind("postgres-", 0) != 0;
}

namespace {

// Whether the oracle owes any event for the first `n` transactions.
bool captured_before(const Case& c, size_t n) {
  Case before = c;
  before.faults.clear();
  before.final_state = false;
  before.transactions.resize(std::min(n, c.transactions.size()));
  return expected_event_count(before) > 0;
}

bool fault_fits_while_streaming(const Case& c, size_t i) {
  return i < c.faults.size() && i < c.transactions.size() && is_bulk(c.transactions[i]) &&
         captured_before(c, i + 1);
}

// A crash or restart before Connect committed an offset takes the snapshot again: after the
// first transaction the file waits for one, when it gave the connector an event to commit
// (with nothing captured yet, a new snapshot reads nothing either). A fault while a COPY
// streams waits for a streaming offset anyway (connector wait-next-commit).
bool waits_for_a_committed_offset(const Case& c) {
  return !c.faults.empty() && !c.transactions.empty() && captured_before(c, 1) &&
         !fault_while_streaming(c, 0);
}

}  // namespace

bool fault_inside(const Case& c, size_t i) {
  return c.faults_inside && i < c.faults.size() && i + 1 < c.transactions.size() &&
         !c.transactions[i + 1].copy && fault_fits_inside_a_transaction(c.faults[i]) &&
         captured_before(c, i + 1);
}

bool fault_while_streaming(const Case& c, size_t i) {
  return fault_fits_while_streaming(c, i) && !fault_inside(c, i);
}

std::string fault_placement(const Case& c, size_t i) {
  if (fault_inside(c, i)) return "inside an open transaction";
  if (!fault_while_streaming(c, i)) return "";
  return std::string("while ") + (c.transactions[i].copy ? "a COPY" : "a large INSERT") +
         " streams" + (acks_late_around(c, i) ? ", Connect's acks late" : "");
}

bool acks_late_around(const Case& c, size_t i) {
  return c.acks_late && fault_while_streaming(c, i) && c.faults[i].rfind("connect-kafka-", 0) != 0;
}

namespace {

// What follows transaction i: the wait for a committed offset after the first, and fault i
// when it falls between transactions (while a bulk load streams: at Connect's next offset
// commit, perhaps with its acks late around it).
std::string fault_after(const Case& c, size_t i) {
  std::string out;
  if (i == 0 && waits_for_a_committed_offset(c)) out += "connector wait-committed\n\n";
  if (acks_late_around(c, i)) {
    return out + "fault start " + kLateAcksFault +
           "\n\nconnector wait-next-commit\n\nfault start " + c.faults[i] + "\n\nfault heal " +
           kLateAcksFault + "\n\nfault heal " + c.faults[i] + "\n\n";
  }
  if (fault_while_streaming(c, i)) out += "connector wait-next-commit\n\n";
  if (i < c.faults.size() && !fault_inside(c, i)) out += "fault " + c.faults[i] + "\n\n";
  return out;
}

}  // namespace

size_t scenario_steps(const Case& c) {
  // Counted in the file itself: the text is the one place that says what the case runs.
  return parse_scenario("case.cdc", scenario_file_text(c)).steps.size();
}

std::string scenario_file_text(const Case& c) {
  std::string out = c.header;
  std::string setup, cleanup = "DROP PUBLICATION IF EXISTS " + std::string(kPublication) + ";\n",
                     include_list, names;
  bool enum_used = false;
  for (const auto& t : c.tables)
    for (const auto& column : t.columns) enum_used = enum_used || column.type == ColumnType::Enum;
  if (enum_used)
    setup += "CREATE TYPE " + std::string(kEnumType) + " AS ENUM ('sad', 'ok', 'happy');\n";
  for (const auto& t : c.tables) {
    std::string columns, key;
    for (size_t i = 0; i < t.columns.size(); ++i) {
      columns += t.columns[i].name + " " + sql_type(t.columns[i].type) + ", ";
      if (i < t.key_columns) key += (i ? ", " : "") + t.columns[i].name;
    }
    setup += "CREATE TABLE " + t.name + " (" +
             (t.keyless ? columns.substr(0, columns.size() - 2)
                        : columns + "PRIMARY KEY (" + key + ")") +
             ");\n";
    if (t.identity_full()) setup += "ALTER TABLE " + t.name + " REPLICA IDENTITY FULL;\n";
    setup += "GRANT SELECT ON " + t.name + " TO ${debezium_user};\n";
    cleanup += "DROP TABLE IF EXISTS " + t.name + ";\n";
    include_list += (include_list.empty() ? "" : ",") + qualified(t);
    names += (names.empty() ? "" : ", ") + t.name;
  }
  if (enum_used) cleanup += "DROP TYPE IF EXISTS " + std::string(kEnumType) + ";\n";
  setup += "CREATE PUBLICATION " + std::string(kPublication) + " FOR TABLE " + names + ";\n";
  out += "sql\n" + setup + "\ncleanup\n" + cleanup + "\n";
  json settings = c.settings.as_json();
  settings["table.include.list"] = include_list;
  settings["publication.name"] = std::string(kPublication);
  out += "connector register\n" + settings.dump() + "\n\n";
  for (size_t i = 0; i < c.transactions.size(); ++i) {
    const auto& tx = c.transactions[i];
    if (tx.copy) {
      out += copy_step_text(c.tables[tx.statements.front().table], tx.statements.front());
      out += fault_after(c, i);
      continue;
    }
    // A fault inside: the transaction stays open in a session of its own across its start.
    const bool inside = i > 0 && fault_inside(c, i - 1);
    const size_t split = inside ? (tx.statements.size() + 1) / 2 : tx.statements.size();
    const std::string start =
        inside ? "\nfault start " + c.faults[i - 1] + "\n\nsql session=open\n" : "";
    out += inside ? "sql session=open\nBEGIN;\n" : "sql\nBEGIN;\n";
    for (size_t s = 0; s < tx.statements.size(); ++s) {
      if (s == split) out += start;
      const auto& st = tx.statements[s];
      const std::string sql = statement_sql(c.tables[st.table], st);
      if (st.rolled_back_to_savepoint) {
        out += "SAVEPOINT s;\n" + sql + "\nROLLBACK TO SAVEPOINT s;\n";
      } else {
        out += sql + "\n";
      }
    }
    if (split == tx.statements.size()) out += start;
    out += tx.rollback ? "ROLLBACK;\n\n" : "COMMIT;\n\n";
    if (inside) out += "fault heal " + c.faults[i - 1] + "\n\n";
    out += fault_after(c, i);
  }
  const auto lines = expected_events(c);
  // After a fault a change may come twice (Debezium's at-least-once): allowed, counted.
  const std::string duplicates = c.faults.empty() ? "" : " allow-duplicates";
  for (size_t i = 0; i < c.tables.size(); ++i) {
    const auto& t = c.tables[i];
    if (lines[i].empty()) {
      out += "expect no-events table=" + qualified(t) + "\n\n";
    } else {
      out += "expect events table=" + qualified(t) + duplicates + "\n";
      for (const auto& line : lines[i]) out += line + "\n";
      out += "\n";
    }
    // Events that skip an operation cannot rebuild the table, nor can events without a key:
    // no final state is owed then.
    if (c.final_state && c.settings.skipped_operations == "none" && !t.keyless) {
      // Columns whose rendering the oracle does not predict are left out here too.
      std::string ignore;
      for (const auto& column : t.columns) {
        if (!rendering_predicted(column.type, c.settings, t.identity_full()) ||
            excluded(t, column, c.settings))
          ignore += (ignore.empty() ? " ignore=" : ",") + column.name;
      }
      out += "expect final-state table=" + qualified(t) + ignore + "\n\n";
    }
  }
  if (c.settings.transaction_metadata) out += "expect transactions" + duplicates + "\n\n";
  return out;
}

}  // namespace cdc::explore
