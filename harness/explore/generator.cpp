#include "harness/explore/generator.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <random>

namespace cdc::explore {
using nlohmann::json;

namespace {

class Draw {
 public:
  explicit Draw(uint64_t seed) : random_(seed) {}
  size_t below(size_t n) { return n == 0 ? 0 : static_cast<size_t>(random_() % n); }
  bool chance(int percent) { return static_cast<int>(below(100)) < percent; }
  int between(int lo, int hi) {
    return lo + static_cast<int>(below(static_cast<size_t>(hi - lo + 1)));
  }
  std::string word() {
    static const char* words[] = {"ann", "bob", "oslo", "paid",           "new",  "it's",
                                  "x y", "",    "ÆØÅ",  "long-ish value", "null", "0"};
    return words[below(sizeof words / sizeof *words)];
  }

 private:
  std::mt19937_64 random_;
};

std::string quoted(const std::string& text) {
  std::string out = "'";
  for (const char ch : text) out += ch == '\'' ? std::string("''") : std::string(1, ch);
  return out + "'";
}

// A value of `type` (NULL sometimes, unless it is a key column).
Value draw_value(Draw& d, ColumnType type, bool key) {
  if (!key && d.chance(10)) return {"NULL", nullptr, true};
  switch (type) {
    case ColumnType::Int: {
      const int v = d.between(-1000, 100000);
      return {std::to_string(v), v, true};
    }
    case ColumnType::BigInt: {
      const int64_t v = static_cast<int64_t>(d.between(0, 1000000)) * 1000003LL;
      return {std::to_string(v), v, true};
    }
    case ColumnType::Text: {
      const std::string v = d.word();
      return {quoted(v), v, true};
    }
    case ColumnType::Boolean: {
      const bool v = d.chance(50);
      return {v ? "true" : "false", v, true};
    }
    case ColumnType::Numeric:
    case ColumnType::WideNumeric: {
      // A last digit that is not 0: "12.30" against "12.3" is left to final-state.
      const int units = d.between(0, 99999), cents = d.between(1, 9) * 10 + d.between(1, 9);
      const std::string text = std::to_string(units) + "." + std::to_string(cents);
      return {text, nullptr, true};  // rendered by the oracle, per decimal.handling.mode
    }
    case ColumnType::Timestamptz:
      return {"'2024-0" + std::to_string(d.between(1, 9)) + "-1" + std::to_string(d.between(0, 9)) +
                  " 12:34:56.789+02'",
              nullptr, false};
    case ColumnType::Jsonb:
      return {"'{\"a\": " + std::to_string(d.between(0, 9)) + ", \"b\": [1, \"x\"]}'", nullptr,
              false};
    case ColumnType::Bytea: {
      // One value in ten large enough to be stored out of line (TOAST), of bytes that do not
      // compress; drawn as one number, as the two small ones were.
      const size_t pick = d.below(100);
      if (pick < 10)
        return {"decode((SELECT string_agg(md5(" + std::to_string(pick) +
                    " || i::text), '') FROM generate_series(1, 200) i), 'hex')",
                nullptr, false};
      return {"'\\x" + std::string(pick < 55 ? "deadbeef" : "00ff") + "'::bytea", nullptr, false};
    }
    case ColumnType::TextArray: {
      const std::string a = d.word(), b = d.word();
      std::string sql = "ARRAY[" + quoted(a) + ", " + quoted(b) + "]::text[]";
      return {sql, json::array({a, b}), true};
    }
    case ColumnType::Enum: {
      static const char* labels[] = {"sad", "ok", "happy"};
      const std::string v = labels[d.below(3)];
      return {quoted(v), v, true};
    }
    case ColumnType::Date:  // rendered by the oracle, per time.precision.mode
      return {"'2024-" + std::to_string(d.between(10, 12)) + "-" +
                  std::to_string(d.between(10, 28)) + "'",
              nullptr, true};
    case ColumnType::Time: {
      char text[32];
      std::snprintf(text, sizeof text, "'%02d:%02d:%02d.%06d'", d.between(0, 23), d.between(0, 59),
                    d.between(0, 59), d.between(0, 999999));
      return {text, nullptr, true};
    }
    case ColumnType::Timestamp: {
      char text[48];
      std::snprintf(text, sizeof text, "'2024-%02d-%02d %02d:%02d:%02d.%06d'", d.between(1, 12),
                    d.between(1, 28), d.between(0, 23), d.between(0, 59), d.between(0, 59),
                    d.between(0, 999999));
      return {text, nullptr, true};
    }
    case ColumnType::LargeText: {
      // Incompressible enough to go out of line: repeat() would compress into the row.
      const int salt = d.between(0, 1 << 20);
      const std::string sql = "(SELECT string_agg(md5(" + std::to_string(salt) +
                              " || i::text), '') FROM generate_series(1, 400) i)";
      return {sql, nullptr, false};
    }
  }
  return {"NULL", nullptr, true};
}

Table draw_table(Draw& d, int index, const Space& space) {
  Table t;
  t.name = "explore_${run}_t" + std::to_string(index);
  t.key_columns = d.chance(25) ? 2 : 1;
  t.columns.push_back({"id", ColumnType::Int});
  if (t.key_columns == 2) t.columns.push_back({"region", ColumnType::Text});
  const int others = d.between(1, space.max_columns);
  const auto& types = all_column_types();
  for (int i = 0; i < others; ++i)
    t.columns.push_back({"c" + std::to_string(i), types[d.below(types.size())]});
  t.full_identity = d.chance(40);
  return t;
}

// The rows the generator believes live, per table, to pick updates and deletes from.
struct Live {
  std::vector<std::vector<std::vector<Value>>> rows;  // table -> rows
  std::vector<int> next_id;
  std::vector<std::vector<std::vector<Value>>> deleted;  // keys to insert again
};

std::vector<Value> key_part(const Table& t, const std::vector<Value>& row) {
  return {row.begin(), row.begin() + static_cast<std::ptrdiff_t>(t.key_columns)};
}

std::vector<Value> fresh_key(Draw& d, const Table& t, Live& live, size_t table) {
  const int id = ++live.next_id[table];
  std::vector<Value> key{{std::to_string(id), id, true}};
  if (t.key_columns == 2) {
    const std::string region = d.chance(50) ? "north" : "south";
    key.push_back({"'" + region + "'", region, true});
  }
  return key;
}

std::vector<Value> draw_row(Draw& d, const Table& t, std::vector<Value> key) {
  for (size_t i = t.key_columns; i < t.columns.size(); ++i)
    key.push_back(draw_value(d, t.columns[i].type, false));
  return key;
}

// The highest id any statement of the case gives a row of `table` (rolled back ones too).
int highest_id(const Case& c, size_t table) {
  int highest = 0;
  const auto note = [&](const Value& v) {
    if (v.json.is_number_integer()) highest = std::max(highest, v.json.get<int>());
  };
  for (const auto& tx : c.transactions) {
    for (const auto& st : tx.statements) {
      if (st.table != table) continue;
      for (const auto& row : st.rows) note(row.front());
      if (!st.key.empty()) note(st.key.front());
      for (const auto& [column, value] : st.set)
        if (column == 0) note(value);
    }
  }
  return highest;
}

// A schema change on a table, between transactions after those the faults come with (their
// places stay), and the statements after it fitted to it: an added column gets values in
// later inserts (drawn, or its DEFAULT; COPY names every column) and updates; a dropped
// column is one no later statement sets; an altered one has its later values converted.
void add_schema_change(Draw& d, Case& c) {
  const size_t first = c.faults.empty() ? 0 : c.faults.size() + 1;
  if (first > c.transactions.size()) return;
  const size_t at = first + d.below(c.transactions.size() - first + 1);
  SchemaChange change;
  change.table = d.below(c.tables.size());
  Table& t = c.tables[change.table];
  Case before = c;
  before.transactions.resize(at);
  const Schema now = [&] {
    Schema schema(before);
    for (const auto& tx : before.transactions)
      if (tx.schema_change) schema.apply(*tx.schema_change);
    return schema;
  }();
  const auto later = [&](auto&& each) {  // each statement on the table after the change
    for (size_t x = at; x < c.transactions.size(); ++x)
      for (auto& st : c.transactions[x].statements)
        if (st.table == change.table) each(c.transactions[x], st);
  };
  // Columns a change may touch: there now, not the key, not column.exclude.list's, none
  // another change touches (one placed later might alter what this one drops).
  const auto touched = changed_columns(c, change.table);
  std::vector<size_t> columns;
  for (size_t i = t.key_columns; i < t.columns.size(); ++i)
    if (now.present[change.table][i] &&
        c.settings.excluded_column != t.name + "." + t.columns[i].name &&
        std::find(touched.begin(), touched.end(), i) == touched.end())
      columns.push_back(i);
  const int roll = static_cast<int>(d.below(100));
  if (roll < 30 && !columns.empty()) {  // drop one no later statement sets
    std::vector<size_t> unset;
    for (const size_t i : columns) {
      bool set = false;
      later([&](const Transaction&, const Statement& st) {
        for (const auto& [column, value] : st.set) set = set || column == i;
      });
      if (!set) unset.push_back(i);
    }
    if (!unset.empty()) {
      change.kind = SchemaChangeKind::DropColumn;
      change.column = unset[d.below(unset.size())];
      c.transactions.insert(c.transactions.begin() + static_cast<std::ptrdiff_t>(at),
                            Transaction{{}, false, false, change});
      return;
    }
  }
  if (roll < 60) {  // alter one to a type its values convert to
    std::vector<size_t> alterable;
    for (const size_t i : columns)
      if (!alter_targets(now.types[change.table][i]).empty()) alterable.push_back(i);
    if (!alterable.empty()) {
      change.kind = SchemaChangeKind::AlterType;
      change.column = alterable[d.below(alterable.size())];
      const ColumnType from = now.types[change.table][change.column];
      const auto targets = alter_targets(from);
      change.type = targets[d.below(targets.size())];
      later([&](const Transaction&, Statement& st) {
        for (auto& row : st.rows)
          row[change.column] = converted(row[change.column], from, change.type);
        for (auto& [column, value] : st.set)
          if (column == change.column) value = converted(value, from, change.type);
      });
      c.transactions.insert(c.transactions.begin() + static_cast<std::ptrdiff_t>(at),
                            Transaction{{}, false, false, change});
      return;
    }
  }
  // Add one, with a DEFAULT half the time (the rows there take it).
  static const ColumnType kAddable[] = {ColumnType::Int, ColumnType::BigInt, ColumnType::Text,
                                        ColumnType::Boolean};
  change.kind = SchemaChangeKind::AddColumn;
  change.column = t.columns.size();
  const ColumnType type = kAddable[d.below(4)];
  t.columns.push_back({"c" + std::to_string(change.column - t.key_columns), type, true});
  if (d.chance(50)) change.default_value = draw_value(d, type, true);
  const Value null{"NULL", nullptr, true};
  const Value by_default{"DEFAULT", change.default_value ? change.default_value->json : nullptr,
                         true};
  for (size_t x = 0; x < c.transactions.size(); ++x) {
    for (auto& st : c.transactions[x].statements) {
      if (st.table != change.table) continue;
      for (auto& row : st.rows) {
        if (x < at) {
          row.push_back(null);  // not written: the column is not there yet
        } else if (d.chance(60)) {
          row.push_back(draw_value(d, type, false));
        } else {
          row.push_back(c.transactions[x].copy ? null : by_default);
        }
      }
      if (x >= at && st.kind == StatementKind::Update && d.chance(30))
        st.set.emplace_back(change.column, draw_value(d, type, false));
    }
  }
  c.transactions.insert(c.transactions.begin() + static_cast<std::ptrdiff_t>(at),
                        Transaction{{}, false, false, change});
}

// A column of a time type at the end of a table (in CREATE TABLE): a value for it in every
// row the case inserts there, set by some of its updates; and the connector's
// time.precision.mode.
void add_time_column(Draw& d, Case& c) {
  const size_t table = d.below(c.tables.size());
  Table& t = c.tables[table];
  const auto& types = time_column_types();
  const ColumnType type = types[d.below(types.size())];
  const size_t column = t.columns.size();
  t.columns.push_back({"c" + std::to_string(column - t.key_columns), type, false});
  for (auto& tx : c.transactions) {
    for (auto& st : tx.statements) {
      if (st.table != table) continue;
      for (auto& row : st.rows) row.push_back(draw_value(d, type, false));
      if (st.kind == StatementKind::Update && d.chance(30))
        st.set.emplace_back(column, draw_value(d, type, false));
    }
  }
  static const char* modes[] = {"adaptive", "adaptive_time_microseconds", "connect"};
  c.settings.time_precision_mode = modes[d.below(3)];
}

}  // namespace

const std::vector<Focus>& focuses() {
  static const std::vector<Focus> all = {
      {"bulk",
       "has a bulk load, and with --faults a fault while it streams; transaction metadata in half "
       "of them (what finds dbz#1554 and dbz#633)",
       [](Space& s) {
         s.bulk_percent = 100;
         s.fault_in_every_case = true;
         s.metadata_percent = 50;
       }},
      {"schema",
       "has one or two schema changes mid-stream (ADD COLUMN, with a DEFAULT or none; DROP COLUMN; "
       "ALTER COLUMN … TYPE)",
       [](Space& s) { s.schema_change_percent = 100; }},
      {"concurrent",
       "without a fault has transactions in two sessions at once, one begun before the one before "
       "it commits, later writing its rows",
       [](Space& s) { s.concurrent_percent = 100; }},
      {"keys", "that skips no operation has message.key.columns on a column outside the key",
       [](Space& s) { s.message_key_percent = 100; }},
      {"partitions", "has topics of three partitions (topic.creation.default.partitions)",
       [](Space& s) { s.partitions_percent = 100; }},
      {"snapshots",
       "without a fault has rows before the connector (snapshot.mode initial or no_data) and a "
       "snapshot by signal mid-stream (incremental, by watermark rows or read.only's xids, or "
       "blocking)",
       [](Space& s) {
         s.snapshot_percent = 100;
         s.signal_percent = 100;
       }},
  };
  return all;
}

const Focus* focus_named(const std::string& name) {
  for (const auto& focus : focuses())
    if (focus.name == name) return &focus;
  return nullptr;
}

Case generate_case(uint64_t seed, int index, const Space& space) {
  // One stream per case, from the seed and the case's number: cases never share draws.
  Draw d(seed * 1000003ULL + static_cast<uint64_t>(index) * 7919ULL + 17ULL);
  Case c;
  c.seed = seed;
  c.index = index;
  c.settings.tombstones = !d.chance(25);
  c.settings.skipped_operations = d.chance(15) ? "u" : "none";
  const char* modes[] = {"precise", "string", "double"};
  c.settings.decimal_mode = modes[d.below(3)];
  const int tables = d.between(1, space.max_tables);
  for (int i = 0; i < tables; ++i) c.tables.push_back(draw_table(d, i, space));
  if (d.chance(15)) {  // column.exclude.list: one of the first table's other columns
    const Table& t = c.tables.front();
    const size_t column = t.key_columns + d.below(t.columns.size() - t.key_columns);
    c.settings.excluded_column = t.name + "." + t.columns[column].name;
  }

  Live live;
  live.rows.resize(c.tables.size());
  live.deleted.resize(c.tables.size());
  live.next_id.assign(c.tables.size(), 0);
  const int transactions = d.between(1, space.max_transactions);
  for (int x = 0; x < transactions; ++x) {
    Transaction tx;
    tx.rollback = d.chance(10);
    const int statements = d.between(1, space.max_statements);
    // Changes a rolled-back transaction (or savepoint) made are undone: work on a copy.
    Live after = live;
    for (int s = 0; s < statements; ++s) {
      Statement st;
      st.table = d.below(c.tables.size());
      const Table& t = c.tables[st.table];
      auto& rows = after.rows[st.table];
      const int roll = static_cast<int>(d.below(100));
      if (rows.empty() || roll < 40) {
        st.kind = StatementKind::Insert;
        // Now and then a large transaction: one statement of more rows than Connect's default
        // batch (max.batch.size 2048) may hold.
        const int count = d.chance(20) ? 2 : d.chance(1) ? d.between(1000, 3000) : 1;
        for (int r = 0; r < count; ++r) {
          auto& gone = after.deleted[st.table];
          std::vector<Value> key;
          if (!gone.empty() && d.chance(30)) {  // a deleted key inserted again
            key = gone.back();
            gone.pop_back();
          } else {
            key = fresh_key(d, t, after, st.table);
          }
          st.rows.push_back(draw_row(d, t, key));
        }
      } else {
        const size_t at = d.below(rows.size());
        st.key = key_part(t, rows[at]);
        if (roll < 75) {
          st.kind = StatementKind::Update;
          const size_t columns = t.columns.size() - t.key_columns;
          const int changes = d.between(1, static_cast<int>(std::min<size_t>(columns, 2)));
          for (int k = 0; k < changes; ++k) {
            const size_t column = t.key_columns + d.below(columns);
            if (std::any_of(st.set.begin(), st.set.end(),
                            [&](const auto& p) { return p.first == column; }))
              continue;
            st.set.emplace_back(column, draw_value(d, t.columns[column].type, false));
          }
        } else if (roll >= 97) {
          st.kind = StatementKind::Truncate;
          st.key.clear();
        } else if (roll < 90 || c.settings.skipped_operations == "u") {
          st.kind = StatementKind::Delete;
        } else {
          st.kind = StatementKind::KeyUpdate;
          const std::vector<Value> key = fresh_key(d, t, after, st.table);
          st.set.emplace_back(0, key[0]);
        }
      }
      st.rolled_back_to_savepoint = d.chance(10);
      // What the statement leaves, unless a savepoint takes it back.
      if (!st.rolled_back_to_savepoint) {
        switch (st.kind) {
          case StatementKind::Insert:
            for (const auto& row : st.rows) rows.push_back(row);
            break;
          case StatementKind::Truncate:
            for (const auto& row : rows) after.deleted[st.table].push_back(key_part(t, row));
            rows.clear();
            break;
          case StatementKind::Update:
          case StatementKind::KeyUpdate:
          case StatementKind::Delete: {
            const auto it = std::find_if(rows.begin(), rows.end(), [&](const auto& row) {
              for (size_t i = 0; i < t.key_columns; ++i)
                if (row[i].sql != st.key[i].sql) return false;
              return true;
            });
            if (it == rows.end()) break;
            if (st.kind == StatementKind::Delete) {
              after.deleted[st.table].push_back(key_part(t, *it));
              rows.erase(it);
            } else {
              for (const auto& [column, value] : st.set) (*it)[column] = value;
            }
            break;
          }
        }
      }
      tx.statements.push_back(std::move(st));
    }
    if (!tx.rollback) live = std::move(after);
    c.transactions.push_back(std::move(tx));
  }
  if (!space.faults.empty() && (d.chance(50) || space.fault_in_every_case)) {
    c.faults.push_back(space.faults[d.below(space.faults.size())]);
    c.faults_inside = fault_fits_inside_a_transaction(c.faults.back()) && d.chance(50);
  }
  // Now and then a bulk load (drawn last: the draws above stay what they were): a COPY of
  // fresh keys, or the same rows by one INSERT, first when the case has a fault, which then
  // falls while it streams.
  if (d.chance(space.bulk_percent)) {
    Transaction tx;
    Statement st;
    st.table = d.below(c.tables.size());
    const Table& t = c.tables[st.table];
    const bool out_of_line = std::any_of(t.columns.begin(), t.columns.end(), [](const Column& col) {
      return col.type == ColumnType::LargeText;
    });
    // Many rows (thousands of WAL records' worth) unless each carries an out-of-line value.
    const int count = !out_of_line && d.chance(40) ? d.between(5000, 20000) : d.between(1, 50);
    // Keys above every key the case writes, so no statement meets one of them.
    live.next_id[st.table] = std::max(live.next_id[st.table], highest_id(c, st.table));
    for (int r = 0; r < count; ++r)
      st.rows.push_back(draw_row(d, t, fresh_key(d, t, live, st.table)));
    tx.statements.push_back(std::move(st));
    const size_t at = c.faults.empty() ? d.below(c.transactions.size() + 1) : 0;
    c.transactions.insert(c.transactions.begin() + static_cast<std::ptrdiff_t>(at), std::move(tx));
    c.acks_late = !c.faults.empty() && d.chance(75);
    // One INSERT is a bulk load only when large (a few rows are an ordinary transaction).
    c.transactions[at].copy = d.chance(70) || static_cast<size_t>(count) < kBulkRows;
  }
  c.settings.transaction_metadata = d.chance(space.metadata_percent);
  c.settings.heartbeats = d.chance(20);
  // Now and then a table without a primary key (REPLICA IDENTITY FULL, events keyed by nothing).
  if (d.chance(15)) c.tables[d.below(c.tables.size())].keyless = true;
  // Now and then a schema change or two mid-stream: ADD COLUMN, DROP COLUMN, ALTER … TYPE.
  if (d.chance(space.schema_change_percent)) {
    const int changes = d.between(1, 2);
    for (int k = 0; k < changes; ++k) add_schema_change(d, c);
    // Where a column got a DEFAULT, now and then the converter sends a NULL there as NULL.
    const bool a_default = std::any_of(
        c.transactions.begin(), c.transactions.end(),
        [](const auto& tx) { return tx.schema_change && tx.schema_change->default_value; });
    if (a_default) c.settings.replace_null_with_default = !d.chance(40);
  }
  // Now and then a date, time or timestamp column, its values written by every insert of the
  // table and set by some updates, under one of time.precision.mode's values.
  if (d.chance(space.time_column_percent)) add_time_column(d, c);
  // What came after the time column draws from a stream of its own: a case's earlier draws
  // stay what they were, and so do these whether or not those came.
  Draw later(seed * 2654435761ULL + static_cast<uint64_t>(index) * 40503ULL + 1ULL);
  // Now and then message.key.columns: one column of a table with a primary key, of a type
  // whose value the oracle predicts, untouched by schema changes, keys its events.
  if (c.settings.skipped_operations == "none" && later.chance(space.message_key_percent)) {
    std::vector<std::string> candidates;
    for (size_t x = 0; x < c.tables.size(); ++x) {
      const Table& t = c.tables[x];
      if (t.keyless) continue;
      const auto changed = changed_columns(c, x);
      for (size_t i = t.key_columns; i < t.columns.size(); ++i) {
        const ColumnType type = t.columns[i].type;
        const bool plain = type == ColumnType::Int || type == ColumnType::BigInt ||
                           type == ColumnType::Text || type == ColumnType::Boolean ||
                           type == ColumnType::Enum;
        const std::string name = t.name + "." + t.columns[i].name;
        if (plain && !t.columns[i].added && name != c.settings.excluded_column &&
            std::find(changed.begin(), changed.end(), i) == changed.end())
          candidates.push_back(name);
      }
    }
    if (!candidates.empty())
      c.settings.message_key_column = candidates[later.below(candidates.size())];
  }
  // Now and then topics of three partitions.
  if (later.chance(space.partitions_percent)) c.settings.partitions = 3;
  // Now and then a second fault, after the second transaction (or inside the third): faults
  // on a schedule, the second meeting a pipeline that recovered from the first.
  if (!c.faults.empty() && c.transactions.size() >= 3 && later.chance(space.second_fault_percent)) {
    c.faults.push_back(space.faults[later.below(space.faults.size())]);
  }
  // Now and then rows before the connector: its first transactions run before it is
  // registered, and snapshot.mode says whether its snapshot reads them.
  if (c.faults.empty() && later.chance(space.snapshot_percent)) {
    const size_t before = std::min<size_t>(c.transactions.size(), 1 + later.below(2));
    for (size_t i = 0; i < before; ++i) c.transactions[i].before_connector = true;
    c.settings.snapshot_mode = later.chance(30) ? "no_data" : "initial";
  }
  // Now and then a snapshot by signal between transactions after the connector's start:
  // incremental (watermark rows in the signal table, or read.only's xids; now and then in
  // chunks of 2 rows) or blocking.
  if (c.faults.empty() && !snapshot_tables(c).empty() && later.chance(space.signal_percent)) {
    size_t first = 0;
    while (first < c.transactions.size() && c.transactions[first].before_connector) ++first;
    const size_t at = first + later.below(c.transactions.size() - first + 1);
    Transaction signal;
    signal.snapshot = later.chance(60) ? SnapshotKind::Incremental : SnapshotKind::Blocking;
    if (signal.snapshot == SnapshotKind::Incremental) {
      c.settings.read_only = later.chance(50);
      if (later.chance(50)) c.settings.chunk_size = 2;
      // Now and then beside writes, where a stale read shows (README "What the files found").
      signal.beside_writes = at < c.transactions.size() && later.chance(40);
    }
    c.transactions.insert(c.transactions.begin() + static_cast<std::ptrdiff_t>(at), signal);
  }
  // Now and then two sessions at once: a transaction begun (its first statements run) before
  // the one before it commits, where no row lock makes one wait for the other; its later
  // statements may touch that one's rows, which it then sees committed.
  if (c.faults.empty() && later.chance(space.concurrent_percent)) {
    bool any = false;
    for (size_t i = 1; i < c.transactions.size(); ++i) {
      Transaction& tx = c.transactions[i];
      if (tx.statements.empty() || !later.chance(any ? 40 : 80)) continue;
      // As many first statements as fit, then drawn down to some of them.
      tx.started_early = tx.statements.size();
      while (tx.started_early > 0 && starts_early(c, i) == 0) --tx.started_early;
      if (tx.started_early > 0) {
        tx.started_early = 1 + later.below(tx.started_early);
        any = true;
      }
    }
  }
  // Now and then a numeric(10,2) column is a numeric(20,6) (drawn last of all): the same
  // values, held and sent as text with six decimals.
  if (later.chance(space.wide_numeric_percent)) {
    for (auto& t : c.tables)
      for (auto& column : t.columns)
        if (column.type == ColumnType::Numeric) column.type = ColumnType::WideNumeric;
  }
  return c;
}

}  // namespace cdc::explore
