#include "harness/explore/case.hpp"

#include <algorithm>
#include <cstdio>
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
                                       {ColumnType::Enum, "enum"},
                                       {ColumnType::Date, "date"},
                                       {ColumnType::Time, "time"},
                                       {ColumnType::Timestamp, "timestamp"},
                                       {ColumnType::WideNumeric, "numeric(20,6)"}};

const EnumName<StatementKind> kStatements[] = {{StatementKind::Insert, "insert"},
                                               {StatementKind::Update, "update"},
                                               {StatementKind::Delete, "delete"},
                                               {StatementKind::KeyUpdate, "key-update"},
                                               {StatementKind::Truncate, "truncate"}};

const EnumName<SchemaChangeKind> kSchemaChanges[] = {{SchemaChangeKind::AddColumn, "add-column"},
                                                     {SchemaChangeKind::DropColumn, "drop-column"},
                                                     {SchemaChangeKind::AlterType, "alter-type"}};

const EnumName<SnapshotKind> kSnapshots[] = {{SnapshotKind::Incremental, "incremental"},
                                             {SnapshotKind::Blocking, "blocking"}};

// The table a case's snapshot signals go through (signal.data.collection).
const char* const kSignalTable = "explore_${run}_signals";

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

// The column message.key.columns names in `t`, if any.
std::optional<size_t> message_key_column(const Table& t, const Settings& settings) {
  for (size_t i = 0; i < t.columns.size(); ++i)
    if (settings.message_key_column == t.name + "." + t.columns[i].name) return i;
  return std::nullopt;
}

// The key an event of `row` carries: that column alone under message.key.columns.
json message_key(const Table& t, const Settings& settings, const std::vector<Value>& row) {
  const auto column = message_key_column(t, settings);
  if (!column) return event_key(t, row);
  return json{{t.columns[*column].name, row[*column].json}};
}

// The old row Postgres's WAL carries for a delete or key update: all of it under FULL, only
// the primary key's columns under DEFAULT (the others null).
std::vector<Value> old_row(const Table& t, std::vector<Value> row) {
  if (t.identity_full()) return row;
  for (size_t i = t.key_columns; i < row.size(); ++i) row[i] = Value{"NULL", nullptr, true};
  return row;
}

std::string where_key(const Table& t, const std::vector<Value>& key) {
  std::string where;
  for (size_t i = 0; i < t.key_columns; ++i)
    where += (i ? " AND " : "") + t.columns[i].name + " = " + key[i].sql;
  return where;
}

// How Debezium renders a numeric(10,2), or one of `scale` decimals, under
// decimal.handling.mode (null: not predicted). The column's scale pads the text: 12.34 in a
// numeric(20,6) is 12.340000.
std::optional<json> numeric_rendering(const Value& v, const Settings& settings, int scale = 2) {
  if (v.sql == "NULL") return json(nullptr);
  if (settings.decimal_mode == "string") {
    const auto dot = v.sql.find('.');
    const size_t decimals = dot == std::string::npos ? 0 : v.sql.size() - dot - 1;
    std::string text = v.sql + (dot == std::string::npos ? "." : "");
    for (size_t i = decimals; i < static_cast<size_t>(scale); ++i) text += '0';
    return json(text);
  }
  if (settings.decimal_mode == "double") return json(std::stod(v.sql));
  return std::nullopt;  // precise: Kafka Connect's Decimal, bytes of the unscaled value
}

// Days from 1970-01-01 to the civil date y-m-d (proleptic Gregorian).
int64_t days_from_civil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

// How Debezium renders a date, time(6) or timestamp(6) the generator wrote ('YYYY-MM-DD',
// 'HH:MM:SS.ffffff', 'YYYY-MM-DD HH:MM:SS.ffffff'), under time.precision.mode: days; time
// and timestamp in microseconds, or in milliseconds (cut) under connect.
std::optional<json> time_rendering(const Value& v, ColumnType type, const Settings& settings) {
  if (v.sql == "NULL") return json(nullptr);
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  long micros = 0;
  const bool connect = settings.time_precision_mode == "connect";
  switch (type) {
    case ColumnType::Date:
      if (std::sscanf(v.sql.c_str(), "'%d-%d-%d'", &y, &mo, &d) != 3) return std::nullopt;
      return json(days_from_civil(y, mo, d));
    case ColumnType::Time: {
      if (std::sscanf(v.sql.c_str(), "'%d:%d:%d.%ld'", &h, &mi, &sec, &micros) != 4)
        return std::nullopt;
      const int64_t us = ((h * 60LL + mi) * 60 + sec) * 1000000 + micros;
      return json(connect ? us / 1000 : us);
    }
    case ColumnType::Timestamp: {
      if (std::sscanf(v.sql.c_str(), "'%d-%d-%d %d:%d:%d.%ld'", &y, &mo, &d, &h, &mi, &sec,
                      &micros) != 7)
        return std::nullopt;
      const int64_t us =
          ((days_from_civil(y, mo, d) * 24 + h) * 60 + mi) * 60000000LL + sec * 1000000LL + micros;
      return json(connect ? us / 1000 : us);
    }
    default:
      return std::nullopt;
  }
}

bool is_time_type(ColumnType type) {
  return type == ColumnType::Date || type == ColumnType::Time || type == ColumnType::Timestamp;
}

bool excluded(const Table& t, const Column& column, const Settings& settings) {
  return settings.excluded_column == t.name + "." + column.name;
}

// An image as an event line states it, over the columns the table has now (`now`, table
// `table`): unpredicted values as {"$any": true}.
json image(const Table& t, const Schema& now, size_t table, const std::vector<Value>& row,
           const Settings& settings, const std::vector<bool>& unknown = {}) {
  json out = json::object();
  for (size_t i = 0; i < t.columns.size(); ++i) {
    if (!now.present[table][i]) continue;
    if (excluded(t, t.columns[i], settings)) continue;  // column.exclude.list
    std::optional<json> value;
    // A NULL where the column has a DEFAULT: the converter may send the DEFAULT instead.
    const Value& v = row[i].json.is_null() && settings.replace_null_with_default &&
                             now.defaults[table][i].sql != "NULL"
                         ? now.defaults[table][i]
                         : row[i];
    if (now.types[table][i] == ColumnType::Numeric) {
      value = numeric_rendering(v, settings);
    } else if (now.types[table][i] == ColumnType::WideNumeric) {
      value = numeric_rendering(v, settings, 6);
    } else if (is_time_type(now.types[table][i])) {
      value = time_rendering(v, now.types[table][i], settings);
    } else if (v.predicted) {
      value = v.json;
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
  Schema now(c);
  // A snapshot: each row of the table there now, as a read.
  const auto read_all = [&](size_t table) {
    const Table& t = c.tables[table];
    for (const auto& [key, row] : rows[table])
      lines[table].push_back("r " + message_key(t, s, row).dump() + " " +
                             image(t, now, table, row, s).dump());
  };
  // The connector starts after the transactions before it: under snapshot.mode=initial its
  // snapshot reads what they left.
  bool registered = false;
  const auto register_connector = [&] {
    if (registered) return;
    registered = true;
    if (s.snapshot_mode == "initial")
      for (size_t table = 0; table < c.tables.size(); ++table) read_all(table);
  };
  for (const auto& tx : c.transactions) {
    if (!tx.before_connector) register_connector();
    if (tx.snapshot) {
      for (const size_t table : snapshot_tables(c)) read_all(table);
      continue;
    }
    if (tx.schema_change) {  // the rows there take the new column's default, or convert
      const SchemaChange& change = *tx.schema_change;
      for (auto& [key, row] : rows[change.table]) {
        if (change.kind == SchemaChangeKind::AddColumn)
          row[change.column] = change.default_value.value_or(Value{"NULL", nullptr, true});
        if (change.kind == SchemaChangeKind::AlterType)
          row[change.column] =
              converted(row[change.column], now.types[change.table][change.column], change.type);
      }
      now.apply(change);
      continue;
    }
    if (tx.rollback) continue;
    for (const auto& st : tx.statements) {
      if (st.rolled_back_to_savepoint) continue;
      const Table& t = c.tables[st.table];
      auto& table_rows = rows[st.table];
      // Before the connector: the rows change, nothing is owed (the snapshot, if any, reads
      // what is there when it starts).
      std::vector<std::string> unowed;
      auto& out = tx.before_connector ? unowed : lines[st.table];
      const auto image_of = [&](const std::vector<Value>& row,
                                const std::vector<bool>& unknown = {}) {
        return image(t, now, st.table, row, s, unknown).dump();
      };
      const auto key_of_event = [&](const std::vector<Value>& row) {
        return message_key(t, s, row).dump();
      };
      const auto deleted = [&](const std::vector<Value>& row) {
        const json key = message_key(t, s, old_row(t, row));
        out.push_back("d " + key.dump() + (t.identity_full() ? " " + image_of(row) : ""));
        if (s.tombstones) out.push_back("tombstone " + key.dump());
      };
      switch (st.kind) {
        case StatementKind::Insert:
          for (const auto& row : st.rows) {
            table_rows[key_of(t, row).dump()] = row;
            out.push_back("c " + key_of_event(row) + " " + image_of(row));
          }
          break;
        case StatementKind::Update: {
          const auto it = table_rows.find(key_of(t, st.key).dump());
          if (it == table_rows.end()) break;  // no such row: UPDATE 0
          std::vector<bool> unknown(t.columns.size(), false);
          for (size_t i = 0; i < t.columns.size(); ++i) {
            // An unchanged out-of-line value is not in the WAL under DEFAULT: Debezium sends a
            // placeholder for it.
            unknown[i] = now.types[st.table][i] == ColumnType::LargeText && !t.identity_full();
          }
          const std::vector<Value> before = it->second;
          for (const auto& [column, value] : st.set) {
            it->second[column] = value;
            unknown[column] = false;
          }
          // Under FULL the old row names the old message key: a changed one is a delete and a
          // create (RelationalChangeRecordEmitter.emitUpdateRecord); DEFAULT has no old row.
          if (t.identity_full() && message_key(t, s, before) != message_key(t, s, it->second)) {
            deleted(before);
            out.push_back("c " + key_of_event(it->second) + " " + image_of(it->second));
            break;
          }
          if (!skip_updates)
            out.push_back("u " + key_of_event(it->second) + " " + image_of(it->second, unknown));
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
            if (!skip_updates) out.push_back("u null " + image_of(moved));
            break;
          }
          // Under message.key.columns the old and new message keys may be the same: then
          // it is an update.
          if (message_key(t, s, old_row(t, it->second)) == message_key(t, s, moved)) {
            table_rows.erase(it);
            table_rows[key_of(t, moved).dump()] = moved;
            if (!skip_updates) out.push_back("u " + key_of_event(moved) + " " + image_of(moved));
            break;
          }
          deleted(it->second);
          table_rows.erase(it);
          table_rows[key_of(t, moved).dump()] = moved;
          out.push_back("c " + key_of_event(moved) + " " + image_of(moved));
          break;
        }
      }
    }
  }
  register_connector();  // every transaction ran before it
  return lines;
}

// Whether `expect final-state` can hold the events' last image of such a column to SELECT:
// the harness compares row_to_json's values (and their text, where events carry text).
bool rendering_predicted(ColumnType type, const Settings& settings, bool full_identity) {
  switch (type) {
    case ColumnType::Numeric:
    case ColumnType::WideNumeric:
      return settings.decimal_mode != "precise";
    case ColumnType::Timestamptz:
    case ColumnType::Jsonb:
    case ColumnType::Bytea:
    case ColumnType::Date:  // events carry numbers where SELECT has text
    case ColumnType::Time:
    case ColumnType::Timestamp:
      return false;
    case ColumnType::LargeText:  // an untouched out-of-line value: a placeholder under DEFAULT
      return full_identity;
    default:
      return true;
  }
}

// The columns of `t` there now, by name ("a, b, c"), and a row's values for them.
std::string present_names(const Table& t, const std::vector<bool>& present) {
  std::string names;
  for (size_t i = 0; i < t.columns.size(); ++i)
    if (present[i]) names += (names.empty() ? "" : ", ") + t.columns[i].name;
  return names;
}
std::string present_values(const std::vector<Value>& row, const std::vector<bool>& present) {
  std::string values;
  for (size_t i = 0; i < row.size(); ++i)
    if (present[i]) values += (values.empty() ? "" : ", ") + row[i].sql;
  return values;
}

std::string statement_sql(const Table& t, const std::vector<bool>& present, const Statement& st) {
  switch (st.kind) {
    case StatementKind::Insert: {
      std::string values;
      for (const auto& row : st.rows)
        values += (values.empty() ? "(" : ", (") + present_values(row, present) + ")";
      return "INSERT INTO " + t.name + " (" + present_names(t, present) + ") VALUES " + values +
             ";";
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
std::string copy_step_text(const Table& t, const std::vector<bool>& present, const Statement& st) {
  std::string values;
  for (const auto& row : st.rows)
    values += (values.empty() ? "(" : ",\n(") + present_values(row, present) + ")";
  return "copy table=" + qualified(t) + "\nSELECT * FROM (VALUES\n" + values + "\n) AS v (" +
         present_names(t, present) + ")\n\n";
}

std::string schema_change_sql(const Table& t, const SchemaChange& change) {
  const Column& column = t.columns[change.column];
  switch (change.kind) {
    case SchemaChangeKind::AddColumn:
      return "ALTER TABLE " + t.name + " ADD COLUMN " + column.name + " " + sql_type(column.type) +
             (change.default_value ? " DEFAULT " + change.default_value->sql : "") + ";";
    case SchemaChangeKind::DropColumn:
      return "ALTER TABLE " + t.name + " DROP COLUMN " + column.name + ";";
    case SchemaChangeKind::AlterType:
      return "ALTER TABLE " + t.name + " ALTER COLUMN " + column.name + " TYPE " +
             sql_type(change.type) + " USING " + column.name + "::" + sql_type(change.type) + ";";
  }
  return "";
}

}  // namespace

const std::vector<ColumnType>& all_column_types() {
  // The time types are drawn by a draw of their own, after every other: a case's earlier
  // draws stay what they were before they came.
  static const std::vector<ColumnType> types = [] {
    std::vector<ColumnType> out;
    for (const auto type : values_in(kTypes))
      if (std::find(time_column_types().begin(), time_column_types().end(), type) ==
              time_column_types().end() &&
          type != ColumnType::WideNumeric)
        out.push_back(type);
    return out;
  }();
  return types;
}

const std::vector<ColumnType>& time_column_types() {
  static const std::vector<ColumnType> types = {ColumnType::Date, ColumnType::Time,
                                                ColumnType::Timestamp};
  return types;
}

std::string type_name(ColumnType type) {
  return name_in(kTypes, type);
}

std::string statement_name(StatementKind kind) {
  return name_in(kStatements, kind);
}

std::string schema_change_name(SchemaChangeKind kind) {
  return name_in(kSchemaChanges, kind);
}

std::string snapshot_name(SnapshotKind kind) {
  return name_in(kSnapshots, kind);
}

bool beside_writes(const Case& c) {
  return std::any_of(c.transactions.begin(), c.transactions.end(), [](const Transaction& tx) {
    return tx.snapshot == SnapshotKind::Incremental && tx.beside_writes;
  });
}

bool has_signals(const Case& c) {
  return std::any_of(c.transactions.begin(), c.transactions.end(),
                     [](const Transaction& tx) { return tx.snapshot.has_value(); });
}

std::vector<size_t> snapshot_tables(const Case& c) {
  std::vector<size_t> out;
  for (size_t i = 0; i < c.tables.size(); ++i)
    if (!c.tables[i].keyless) out.push_back(i);
  return out;
}

Schema::Schema(const Case& c) {
  for (const auto& t : c.tables) {
    present.emplace_back();
    types.emplace_back();
    defaults.emplace_back();
    for (const auto& column : t.columns) {
      present.back().push_back(!column.added);
      types.back().push_back(column.type);
      defaults.back().push_back(Value{"NULL", nullptr, true});
    }
  }
}

void Schema::apply(const SchemaChange& change) {
  switch (change.kind) {
    case SchemaChangeKind::AddColumn:
      present[change.table][change.column] = true;
      defaults[change.table][change.column] =
          change.default_value.value_or(Value{"NULL", nullptr, true});
      break;
    case SchemaChangeKind::DropColumn:
      present[change.table][change.column] = false;
      break;
    case SchemaChangeKind::AlterType:
      types[change.table][change.column] = change.type;
      break;
  }
}

Value converted(const Value& v, ColumnType from, ColumnType to) {
  if (v.sql == "NULL" || from == to || to != ColumnType::Text) return v;  // int to bigint: as is
  // To text: a number's digits, a boolean's true/false, an enum's label.
  std::string text = v.json.is_string() ? v.json.get<std::string>() : v.json.dump();
  std::string sql = "'";
  for (const char ch : text) sql += ch == '\'' ? std::string("''") : std::string(1, ch);
  return Value{sql + "'", text, v.predicted};
}

std::vector<ColumnType> alter_targets(ColumnType type) {
  switch (type) {
    case ColumnType::Int:
      return {ColumnType::BigInt, ColumnType::Text};
    case ColumnType::BigInt:
    case ColumnType::Boolean:
    case ColumnType::Enum:
      return {ColumnType::Text};
    default:
      return {};
  }
}

std::vector<size_t> changed_columns(const Case& c, size_t table) {
  std::vector<size_t> out;
  for (const auto& tx : c.transactions)
    if (tx.schema_change && tx.schema_change->table == table &&
        std::find(out.begin(), out.end(), tx.schema_change->column) == out.end())
      out.push_back(tx.schema_change->column);
  return out;
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
    case ColumnType::WideNumeric:
      return "numeric(20,6)";
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
    case ColumnType::Date:
      return "date";
    case ColumnType::Time:
      return "time";
    case ColumnType::Timestamp:
      return "timestamp";
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
  if (time_precision_mode != "adaptive") out["time.precision.mode"] = time_precision_mode;
  if (!message_key_column.empty()) {
    const auto dot = message_key_column.rfind('.');
    out["message.key.columns"] =
        "public." + message_key_column.substr(0, dot) + ":" + message_key_column.substr(dot + 1);
  }
  if (snapshot_mode != "initial") out["snapshot.mode"] = snapshot_mode;
  if (read_only) out["read.only"] = "true";
  if (chunk_size != 0) out["incremental.snapshot.chunk.size"] = std::to_string(chunk_size);
  if (partitions != 1) {
    out["topic.creation.default.partitions"] = std::to_string(partitions);
    out["topic.creation.default.replication.factor"] = "-1";  // the broker's default
  }
  if (!replace_null_with_default) {
    // A converter setting on the connector applies only with the converter named there too.
    out["value.converter"] = "org.apache.kafka.connect.json.JsonConverter";
    out["value.converter.replace.null.with.default"] = "false";
  }
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
  if (time_precision_mode != "adaptive")
    out.push_back("time.precision.mode=" + time_precision_mode);
  if (!message_key_column.empty()) {
    const auto dot = message_key_column.rfind('.');
    out.push_back("message.key.columns=public." + message_key_column.substr(0, dot) + ":" +
                  message_key_column.substr(dot + 1));
  }
  if (snapshot_mode != "initial") out.push_back("snapshot.mode=" + snapshot_mode);
  if (read_only) out.push_back("read.only=true");
  if (chunk_size != 0)
    out.push_back("incremental.snapshot.chunk.size=" + std::to_string(chunk_size));
  if (partitions != 1) {
    out.push_back("topic.creation.default.partitions=" + std::to_string(partitions));
    out.push_back("topic.creation.default.replication.factor=-1");
  }
  if (!replace_null_with_default) {
    out.push_back("value.converter=org.apache.kafka.connect.json.JsonConverter");
    out.push_back("value.converter.replace.null.with.default=false");
  }
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

std::vector<std::pair<size_t, std::string>> rows_locked(const Table& t, const Statement& st) {
  const auto named = [&](const std::vector<Value>& key) {
    std::string text;
    for (size_t i = 0; i < t.key_columns && i < key.size(); ++i) text += key[i].sql + "\x1f";
    return std::pair<size_t, std::string>{st.table, text};
  };
  std::vector<std::pair<size_t, std::string>> out;
  switch (st.kind) {
    case StatementKind::Insert:
      for (const auto& row : st.rows) out.push_back(named(row));
      break;
    case StatementKind::KeyUpdate: {
      std::vector<Value> moved = st.key;
      for (const auto& [column, value] : st.set)
        if (column < moved.size()) moved[column] = value;
      out.push_back(named(moved));
      out.push_back(named(st.key));
      break;
    }
    case StatementKind::Update:
    case StatementKind::Delete:
      out.push_back(named(st.key));
      break;
    case StatementKind::Truncate:  // the whole table: never beside another transaction
      out.push_back({st.table, "*"});
      break;
  }
  return out;
}

namespace {

// The rows statements [from, to) of transaction x lock.
std::vector<std::pair<size_t, std::string>> rows_locked(const Case& c, size_t x, size_t from,
                                                        size_t to) {
  const Transaction& tx = c.transactions[x];
  std::vector<std::pair<size_t, std::string>> out;
  for (size_t s = from; s < std::min(to, tx.statements.size()); ++s) {
    const auto rows = rows_locked(c.tables[tx.statements[s].table], tx.statements[s]);
    out.insert(out.end(), rows.begin(), rows.end());
  }
  return out;
}

// Whether statements [from, to) of transaction i lock a row transaction i - 1 locks.
bool shares_rows_with_the_one_before(const Case& c, size_t i, size_t from, size_t to) {
  const auto taken = rows_locked(c, i - 1, 0, SIZE_MAX);
  const auto mine = rows_locked(c, i, from, to);
  return std::any_of(mine.begin(), mine.end(), [&](const auto& row) {
    return std::find(taken.begin(), taken.end(), row) != taken.end();
  });
}

}  // namespace

size_t starts_early(const Case& c, size_t i) {
  if (!c.faults.empty() || i == 0 || i >= c.transactions.size()) return 0;
  const Transaction& tx = c.transactions[i];
  const Transaction& before = c.transactions[i - 1];
  const auto ordinary = [](const Transaction& t) {
    return !t.copy && !t.schema_change && !t.statements.empty() &&
           std::none_of(t.statements.begin(), t.statements.end(),
                        [](const Statement& st) { return st.kind == StatementKind::Truncate; });
  };
  // Not when the one before began early itself: both would begin in the one early session.
  if (tx.started_early == 0 || !ordinary(tx) || !ordinary(before) || tx.before_connector ||
      before.before_connector || starts_early(c, i - 1) > 0)
    return 0;
  const size_t wanted = std::min(tx.started_early, tx.statements.size());
  return shares_rows_with_the_one_before(c, i, 0, wanted) ? 0 : wanted;
}

bool writes_rows_of_the_one_before(const Case& c, size_t i) {
  const size_t early = starts_early(c, i);
  return early > 0 && shares_rows_with_the_one_before(c, i, early, SIZE_MAX);
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
         !c.transactions[i + 1].copy && !c.transactions[i + 1].schema_change &&
         fault_fits_inside_a_transaction(c.faults[i]) && captured_before(c, i + 1);
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

namespace {

// What an oracle line ("OP KEY [IMAGE] …") says of its event.
std::string line_op(const std::string& line) {
  return line.substr(0, line.find(' '));
}
bool keyed_by_nothing(const std::string& line) {
  return line.compare(line.find(' ') + 1, 4, "null") == 0;
}
bool any_line_of(const std::vector<std::string>& lines, const std::string& op) {
  return std::any_of(lines.begin(), lines.end(),
                     [&](const std::string& line) { return line_op(line) == op; });
}

// Whether table `table` holds rows when the connector starts that its snapshot does not read
// (snapshot.mode=no_data): a row never written again is in no event, so no final state is owed.
bool unread_at_start(const Case& c, size_t table) {
  if (c.settings.snapshot_mode == "initial") return false;
  Case start = c;
  start.settings.snapshot_mode = "initial";
  std::erase_if(start.transactions, [](const Transaction& tx) { return !tx.before_connector; });
  return !expected_events(start)[table].empty();
}

}  // namespace

bool well_typed(const Case& c) {
  Schema now(c);
  for (const auto& tx : c.transactions) {
    if (tx.schema_change) {
      now.apply(*tx.schema_change);
      continue;
    }
    for (const auto& st : tx.statements) {
      // Text where the column is a number or boolean: a value converted for an ALTER TYPE the
      // case no longer has.
      const auto fits = [&](size_t column, const Value& v) {
        const ColumnType type = now.types[st.table][column];
        return !v.json.is_string() || (type != ColumnType::Int && type != ColumnType::BigInt &&
                                       type != ColumnType::Boolean);
      };
      for (const auto& row : st.rows)
        for (size_t i = 0; i < row.size(); ++i)
          if (!fits(i, row[i])) return false;
      for (const auto& [column, value] : st.set)
        if (!fits(column, value)) return false;
    }
  }
  return true;
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
      if (t.columns[i].added) continue;  // a schema change adds it
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
  const bool signals = has_signals(c);
  if (signals) {  // Debezium writes its watermarks there (unless read.only)
    setup += "CREATE TABLE " + std::string(kSignalTable) +
             " (id varchar(64) PRIMARY KEY, type varchar(32) NOT NULL, data varchar(2048));\n"
             "GRANT SELECT, INSERT, UPDATE, DELETE ON " +
             kSignalTable + " TO ${debezium_user};\n";
    cleanup += "DROP TABLE IF EXISTS " + std::string(kSignalTable) + ";\n";
    include_list += ",public." + std::string(kSignalTable);
    names += ", " + std::string(kSignalTable);
  }
  setup += "CREATE PUBLICATION " + std::string(kPublication) + " FOR TABLE " + names + ";\n";
  out += "sql\n" + setup + "\ncleanup\n" + cleanup + "\n";
  json settings = c.settings.as_json();
  settings["table.include.list"] = include_list;
  settings["publication.name"] = std::string(kPublication);
  if (signals) {
    settings["signal.data.collection"] = "public." + std::string(kSignalTable);
    settings["notification.enabled.channels"] = "sink";
    settings["notification.sink.topic.name"] = "${topic_prefix}.notifications";
  }
  std::string snapshot_of;  // the data-collections a signal names
  for (const size_t table : snapshot_tables(c))
    snapshot_of += (snapshot_of.empty() ? "\"" : ", \"") + qualified(c.tables[table]) + "\"";
  std::string awaited_last;  // the wait for a snapshot beside writes, before the expectations
  bool registered = false;
  const auto register_connector = [&] {
    if (registered) return;
    registered = true;
    out += "connector register\n" + settings.dump() + "\n\n";
    // A blocking snapshot notifies as the initial one does ("Initial Snapshot"): the initial
    // one's COMPLETED is waited for first (under no_data it is SKIPPED).
    if (signals && c.settings.snapshot_mode == "initial")
      out += "wait notification type=COMPLETED aggregate=\"Initial Snapshot\" timeout=120s\n\n";
  };
  Schema now(c);
  for (size_t i = 0; i < c.transactions.size(); ++i) {
    const auto& tx = c.transactions[i];
    if (!tx.before_connector) register_connector();
    if (tx.snapshot) {  // nothing is written until it has finished: its reads are what is there
      const bool incremental = *tx.snapshot == SnapshotKind::Incremental;
      const std::string completed = "wait notification type=COMPLETED aggregate=\"" +
                                    std::string(incremental ? "Incremental" : "Initial") +
                                    " Snapshot\" timeout=120s\n\n";
      out += "signal execute-snapshot\n{\"data-collections\": [" + snapshot_of + "], \"type\": \"" +
             snapshot_name(*tx.snapshot) + "\"}\n\n";
      // Beside writes: the transactions after it run while it reads.
      if (tx.beside_writes && incremental) {
        awaited_last += completed;
      } else {
        out += completed;
      }
      continue;
    }
    if (tx.schema_change) {
      out += "sql\n" + schema_change_sql(c.tables[tx.schema_change->table], *tx.schema_change) +
             "\n\n";
      now.apply(*tx.schema_change);
      out += fault_after(c, i);
      continue;
    }
    if (tx.copy) {
      const Statement& st = tx.statements.front();
      out += copy_step_text(c.tables[st.table], now.present[st.table], st);
      out += fault_after(c, i);
      continue;
    }
    const auto statements = [&](const Transaction& t, size_t from, size_t to) {
      std::string sql;
      for (size_t s = from; s < to; ++s) {
        const auto& st = t.statements[s];
        const std::string one = statement_sql(c.tables[st.table], now.present[st.table], st);
        sql += st.rolled_back_to_savepoint ? "SAVEPOINT s;\n" + one + "\nROLLBACK TO SAVEPOINT s;\n"
                                           : one + "\n";
      }
      return sql;
    };
    const std::string end = tx.rollback ? "ROLLBACK;\n\n" : "COMMIT;\n\n";
    // The next transaction's first statements, begun in a session of their own before this
    // one; this one commits first.
    if (const size_t early = starts_early(c, i + 1); early > 0)
      out += "sql session=early\nBEGIN;\n" + statements(c.transactions[i + 1], 0, early) + "\n";
    if (const size_t early = starts_early(c, i); early > 0) {
      out += "sql session=early\n" + statements(tx, early, tx.statements.size()) + end;
      out += fault_after(c, i);
      continue;
    }
    // A fault inside: the transaction stays open in a session of its own across its start.
    const bool inside = i > 0 && fault_inside(c, i - 1);
    const size_t split = inside ? (tx.statements.size() + 1) / 2 : tx.statements.size();
    out += inside ? "sql session=open\nBEGIN;\n" : "sql\nBEGIN;\n";
    out += statements(tx, 0, split);
    if (inside) out += "\nfault start " + c.faults[i - 1] + "\n\nsql session=open\n";
    out += statements(tx, split, tx.statements.size()) + end;
    if (inside) out += "fault heal " + c.faults[i - 1] + "\n\n";
    out += fault_after(c, i);
  }
  register_connector();  // every transaction ran before it
  out += awaited_last;
  const auto lines = expected_events(c);
  // After a fault a change may come twice (Debezium's at-least-once): allowed, counted.
  const std::string duplicates = c.faults.empty() ? "" : " allow-duplicates";
  // Without one, a table's topic of one partition holds its events in commit order exactly:
  // across keys too, which is what puts a transaction begun early after the one before it.
  // Of several partitions, Kafka orders each key's events, and none of those with no key.
  // A snapshot reads rows in an order of its own (the heap's, or by key in chunks): the
  // oracle owes each key's read in its place, and none across keys; where keys repeat (no key,
  // or message.key.columns), not even that.
  const auto order = [&](size_t table) -> std::string {
    const auto& table_lines = lines[table];
    const bool reads = any_line_of(table_lines, "r");
    if (reads && (c.tables[table].keyless || message_key_column(c.tables[table], c.settings)))
      return " order=unordered";
    if (c.settings.partitions == 1 && !reads) return c.faults.empty() ? " order=total" : "";
    const auto keyless = std::count_if(table_lines.begin(), table_lines.end(), keyed_by_nothing);
    return keyless > 1 ? " order=unordered" : "";
  };
  const auto snapshotted = snapshot_tables(c);
  for (size_t i = 0; i < c.tables.size(); ++i) {
    const auto& t = c.tables[i];
    // Beside writes, a snapshotted table's reads are left to its final state.
    const bool any_reads = beside_writes(c) && std::find(snapshotted.begin(), snapshotted.end(),
                                                         i) != snapshotted.end();
    std::vector<std::string> owed;
    for (const auto& line : lines[i])
      if (!any_reads || line_op(line) != "r") owed.push_back(line);
    const std::string reads = any_reads ? " reads=any" : "";
    if (owed.empty()) {
      out += "expect no-events table=" + qualified(t) + reads + "\n\n";
    } else {
      out += "expect events table=" + qualified(t) + order(i) + reads + duplicates + "\n";
      for (const auto& line : owed) out += line + "\n";
      out += "\n";
    }
    // Events that skip an operation cannot rebuild the table, nor can events without a key:
    // no final state is owed then.
    // Nor where a truncate (keyed by nothing) may land on another partition than the rows
    // it empties: Kafka does not say which came first.
    const bool truncated_apart = c.settings.partitions > 1 && any_line_of(lines[i], "t");
    if (c.final_state && c.settings.skipped_operations == "none" && !t.keyless &&
        !message_key_column(t, c.settings) && !truncated_apart && !unread_at_start(c, i)) {
      // Columns whose rendering the oracle does not predict are left out here too, and those
      // a schema change touched: a row no event carried since has its image from before.
      const auto changed = changed_columns(c, i);
      std::string ignore;
      for (size_t k = 0; k < t.columns.size(); ++k) {
        const Column& column = t.columns[k];
        if (std::find(changed.begin(), changed.end(), k) != changed.end() ||
            !rendering_predicted(now.types[i][k], c.settings, t.identity_full()) ||
            excluded(t, column, c.settings))
          ignore += (ignore.empty() ? " ignore=" : ",") + column.name;
      }
      out += "expect final-state table=" + qualified(t) + ignore + "\n\n";
    }
  }
  // Snapshot reads carry no transaction: with nothing streamed there is none to judge.
  const bool streamed = std::any_of(lines.begin(), lines.end(), [](const auto& table_lines) {
    return std::any_of(table_lines.begin(), table_lines.end(),
                       [](const std::string& line) { return line_op(line) != "r"; });
  });
  if (c.settings.transaction_metadata && streamed)
    out += "expect transactions" + duplicates + "\n\n";
  return out;
}

}  // namespace cdc::explore
