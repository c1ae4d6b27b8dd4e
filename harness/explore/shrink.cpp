#include "harness/explore/shrink.hpp"

#include <algorithm>
#include <optional>
#include <set>
#include <string>

namespace cdc::explore {

namespace {

using Candidates = std::vector<Case>;

// A transaction left with nothing to do: no statements and no schema change.
void drop_empty_transactions(Case& c) {
  std::erase_if(c.transactions, [](const Transaction& t) {
    return t.statements.empty() && !t.schema_change && !t.snapshot;
  });
}

// message.key.columns naming a column the cut takes away goes back to its default (Debezium
// would refuse a column the table does not have).
void forget_message_key(Settings& settings, const Table& t, std::optional<size_t> column) {
  const std::string name = t.name + "." + (column ? t.columns[*column].name : "");
  if (column ? settings.message_key_column == name
             : settings.message_key_column.rfind(name, 0) == 0)
    settings.message_key_column.clear();
}

Case without_table(const Case& c, size_t table) {
  Case out = c;
  forget_message_key(out.settings, c.tables[table], std::nullopt);
  out.tables.erase(out.tables.begin() + static_cast<std::ptrdiff_t>(table));
  std::erase_if(out.transactions, [&](const Transaction& t) {
    return t.schema_change && t.schema_change->table == table;
  });
  for (auto& tx : out.transactions) {
    std::erase_if(tx.statements, [&](const Statement& s) { return s.table == table; });
    for (auto& s : tx.statements)
      if (s.table > table) --s.table;
    if (tx.schema_change && tx.schema_change->table > table) --tx.schema_change->table;
  }
  drop_empty_transactions(out);
  return out;
}

Case without_column(const Case& c, size_t table, size_t column) {
  Case out = c;
  forget_message_key(out.settings, c.tables[table], column);
  out.tables[table].columns.erase(out.tables[table].columns.begin() +
                                  static_cast<std::ptrdiff_t>(column));
  std::erase_if(out.transactions, [&](const Transaction& t) {
    return t.schema_change && t.schema_change->table == table && t.schema_change->column == column;
  });
  for (auto& tx : out.transactions) {
    if (tx.schema_change && tx.schema_change->table == table && tx.schema_change->column > column)
      --tx.schema_change->column;
    for (auto& s : tx.statements) {
      if (s.table != table) continue;
      for (auto& row : s.rows) row.erase(row.begin() + static_cast<std::ptrdiff_t>(column));
      std::erase_if(s.set, [&](const auto& p) { return p.first == column; });
      for (auto& p : s.set)
        if (p.first > column) --p.first;
    }
    std::erase_if(tx.statements, [&](const Statement& s) {
      return s.table == table && s.kind == StatementKind::Update && s.set.empty();
    });
  }
  drop_empty_transactions(out);
  return out;
}

// Every smaller case one step away, the biggest cuts first.
Candidates smaller(const Case& c) {
  Candidates out;
  if (!c.faults.empty()) {
    Case none = c;
    none.faults.clear();
    none.faults_inside = false;
    none.acks_late = false;
    out.push_back(none);
  }
  if (c.faults.size() > 1) {  // the first fault alone
    Case first = c;
    first.faults.resize(1);
    out.push_back(first);
  }
  if (c.acks_late) {
    Case prompt = c;  // the acks on time
    prompt.acks_late = false;
    out.push_back(prompt);
  }
  if (c.faults_inside) {
    Case after = c;  // the fault between transactions instead
    after.faults_inside = false;
    out.push_back(after);
  }
  for (size_t t = 0; c.tables.size() > 1 && t < c.tables.size(); ++t)
    out.push_back(without_table(c, t));
  // Transactions: halves, quarters, … then one at a time (delta debugging's chunks).
  const size_t n = c.transactions.size();
  for (size_t chunk = n / 2; chunk >= 1; chunk /= 2) {
    for (size_t from = 0; from < n; from += chunk) {
      Case cut = c;
      cut.transactions.erase(
          cut.transactions.begin() + static_cast<std::ptrdiff_t>(from),
          cut.transactions.begin() + static_cast<std::ptrdiff_t>(std::min(n, from + chunk)));
      if (!cut.transactions.empty()) out.push_back(cut);
    }
    if (chunk == 1) break;
  }
  // A transaction's feature back to what a plain transaction has, one at a time.
  const Transaction plain;
  const auto transaction_back_to_default = [&](size_t x, auto Transaction::*feature) {
    if (c.transactions[x].*feature == plain.*feature) return;
    Case d = c;
    d.transactions[x].*feature = plain.*feature;
    out.push_back(d);
  };
  for (size_t x = 0; x < n; ++x) {
    const auto& tx = c.transactions[x];
    // The last transaction before the connector after it instead: whether the snapshot matters.
    if (x + 1 == n || !c.transactions[x + 1].before_connector)
      transaction_back_to_default(x, &Transaction::before_connector);
    // The snapshot alone (whether the writes beside it matter), one session after the other
    // (whether concurrency does), the same rows by INSERT (whether COPY's WAL records do).
    transaction_back_to_default(x, &Transaction::beside_writes);
    transaction_back_to_default(x, &Transaction::started_early);
    transaction_back_to_default(x, &Transaction::copy);
    for (size_t s = 0; tx.statements.size() > 1 && s < tx.statements.size(); ++s) {
      Case cut = c;
      auto& statements = cut.transactions[x].statements;
      statements.erase(statements.begin() + static_cast<std::ptrdiff_t>(s));
      out.push_back(cut);
    }
    for (size_t s = 0; s < tx.statements.size(); ++s) {
      const size_t rows = tx.statements[s].rows.size();
      if (tx.statements[s].kind == StatementKind::Insert && rows > 1) {
        Case cut = c;
        cut.transactions[x].statements[s].rows.resize(1);
        out.push_back(cut);
        if (rows > 3) {  // a large insert: half of it, when one row is not enough
          cut.transactions[x].statements[s].rows = tx.statements[s].rows;
          cut.transactions[x].statements[s].rows.resize(rows / 2);
          out.push_back(cut);
        }
      }
    }
  }
  // Settings back to the harness's defaults (a default Settings), one at a time.
  const Settings defaults;
  const auto back_to_default = [&](auto Settings::*setting) {
    if (c.settings.*setting == defaults.*setting) return;
    Case d = c;
    d.settings.*setting = defaults.*setting;
    out.push_back(d);
  };
  back_to_default(&Settings::tombstones);
  back_to_default(&Settings::skipped_operations);
  back_to_default(&Settings::decimal_mode);
  back_to_default(&Settings::replace_null_with_default);
  back_to_default(&Settings::time_precision_mode);
  back_to_default(&Settings::heartbeats);
  back_to_default(&Settings::transaction_metadata);
  back_to_default(&Settings::excluded_column);
  back_to_default(&Settings::message_key_column);
  back_to_default(&Settings::partitions);
  back_to_default(&Settings::snapshot_mode);
  back_to_default(&Settings::read_only);
  back_to_default(&Settings::chunk_size);
  if (c.final_state && c.settings.skipped_operations == "none") {
    Case d = c;
    d.final_state = false;
    out.push_back(d);
  }
  for (size_t t = 0; t < c.tables.size(); ++t) {
    for (size_t col = c.tables[t].key_columns;
         c.tables[t].columns.size() > c.tables[t].key_columns + 1 &&
         col < c.tables[t].columns.size();
         ++col)
      out.push_back(without_column(c, t, col));
    if (c.tables[t].keyless) {  // its primary key back
      Case d = c;
      d.tables[t].keyless = false;
      out.push_back(d);
    }
    if (c.tables[t].full_identity && !c.tables[t].keyless) {
      Case d = c;
      d.tables[t].full_identity = false;
      out.push_back(d);
    }
  }
  return out;
}

}  // namespace

Shrunk shrink(const Case& failing, const std::function<bool(const Case&)>& still_fails,
              std::chrono::steady_clock::time_point deadline) {
  Shrunk result{failing};
  std::set<std::string> tried;  // files already run: a rejected cut is not run again
  for (bool progress = true; progress;) {
    progress = false;
    for (const Case& candidate : smaller(result.minimal)) {
      if (!well_typed(candidate)) continue;  // another failure than the case's, of its own
      if (!tried.insert(scenario_file_text(candidate)).second) continue;
      if (std::chrono::steady_clock::now() >= deadline) {
        result.finished = false;
        return result;
      }
      ++result.tried;
      if (!still_fails(candidate)) continue;
      ++result.accepted;
      result.minimal = candidate;
      progress = true;
      break;  // start again from the smaller case
    }
  }
  return result;
}

}  // namespace cdc::explore
