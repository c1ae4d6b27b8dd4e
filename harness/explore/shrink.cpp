#include "harness/explore/shrink.hpp"

#include <algorithm>
#include <optional>
#include <set>
#include <string>

namespace cdc::explore {

namespace {

// A smaller case and what was cut to make it, as the progress line says it.
struct Candidate {
  std::string cut;
  Case smaller;
};
using Candidates = std::vector<Candidate>;

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
    out.push_back({"no faults", none});
  }
  if (c.faults.size() > 1) {  // the first fault alone
    Case first = c;
    first.faults.resize(1);
    out.push_back({"the first fault alone", first});
  }
  if (c.acks_late) {
    Case prompt = c;  // the acks on time
    prompt.acks_late = false;
    out.push_back({"the acks on time", prompt});
  }
  if (c.faults_inside) {
    Case after = c;  // the fault between transactions instead
    after.faults_inside = false;
    out.push_back({"the fault between transactions", after});
  }
  for (size_t t = 0; c.tables.size() > 1 && t < c.tables.size(); ++t)
    out.push_back({"without table " + std::to_string(t), without_table(c, t)});
  // Transactions: halves, quarters, … then one at a time (delta debugging's chunks).
  const size_t n = c.transactions.size();
  for (size_t chunk = n / 2; chunk >= 1; chunk /= 2) {
    for (size_t from = 0; from < n; from += chunk) {
      Case cut = c;
      cut.transactions.erase(
          cut.transactions.begin() + static_cast<std::ptrdiff_t>(from),
          cut.transactions.begin() + static_cast<std::ptrdiff_t>(std::min(n, from + chunk)));
      const size_t to = std::min(n, from + chunk);
      if (!cut.transactions.empty())
        out.push_back({to - from == 1 ? "without transaction " + std::to_string(from + 1)
                                      : "without transactions " + std::to_string(from + 1) + "-" +
                                            std::to_string(to),
                       cut});
    }
    if (chunk == 1) break;
  }
  // A transaction's feature back to what a plain transaction has, one at a time.
  const Transaction plain;
  const auto transaction_back_to_default = [&](size_t x, auto Transaction::*feature,
                                               const char* what) {
    if (c.transactions[x].*feature == plain.*feature) return;
    Case d = c;
    d.transactions[x].*feature = plain.*feature;
    out.push_back({"transaction " + std::to_string(x + 1) + " " + what, d});
  };
  for (size_t x = 0; x < n; ++x) {
    const auto& tx = c.transactions[x];
    // The last transaction before the connector after it instead: whether the snapshot matters.
    if (x + 1 == n || !c.transactions[x + 1].before_connector)
      transaction_back_to_default(x, &Transaction::before_connector, "after the connector");
    // The snapshot alone (whether the writes beside it matter), one session after the other
    // (whether concurrency does), the same rows by INSERT (whether COPY's WAL records do).
    transaction_back_to_default(x, &Transaction::beside_writes, "without writes beside it");
    transaction_back_to_default(x, &Transaction::started_early, "in one session");
    transaction_back_to_default(x, &Transaction::copy, "by INSERT, not COPY");
    const std::string in_tx = " of transaction " + std::to_string(x + 1);
    for (size_t s = 0; tx.statements.size() > 1 && s < tx.statements.size(); ++s) {
      Case cut = c;
      auto& statements = cut.transactions[x].statements;
      statements.erase(statements.begin() + static_cast<std::ptrdiff_t>(s));
      out.push_back({"without statement " + std::to_string(s + 1) + in_tx, cut});
    }
    for (size_t s = 0; s < tx.statements.size(); ++s) {
      const size_t rows = tx.statements[s].rows.size();
      if (tx.statements[s].kind == StatementKind::Insert && rows > 1) {
        Case cut = c;
        cut.transactions[x].statements[s].rows.resize(1);
        const std::string insert = "statement " + std::to_string(s + 1) + in_tx;
        out.push_back({insert + " with one row", cut});
        if (rows > 3) {  // a large insert: half of it, when one row is not enough
          cut.transactions[x].statements[s].rows = tx.statements[s].rows;
          cut.transactions[x].statements[s].rows.resize(rows / 2);
          out.push_back({insert + " with half its rows", cut});
        }
      }
    }
  }
  // Settings back to the harness's defaults (a default Settings): all at once (a failure
  // seldom needs more than one of them), then one at a time.
  const Settings defaults;
  if (c.settings.changed().size() > 1) {
    Case d = c;
    d.settings = defaults;
    out.push_back({"every setting at its default", d});
  }
  const auto back_to_default = [&](auto Settings::*setting, const char* name) {
    if (c.settings.*setting == defaults.*setting) return;
    Case d = c;
    d.settings.*setting = defaults.*setting;
    out.push_back({std::string(name) + " at its default", d});
  };
  back_to_default(&Settings::tombstones, "tombstones.on.delete");
  back_to_default(&Settings::skipped_operations, "skipped.operations");
  back_to_default(&Settings::decimal_mode, "decimal.handling.mode");
  back_to_default(&Settings::replace_null_with_default, "replace.null.with.default");
  back_to_default(&Settings::time_precision_mode, "time.precision.mode");
  back_to_default(&Settings::heartbeats, "heartbeat.interval.ms");
  back_to_default(&Settings::transaction_metadata, "provide.transaction.metadata");
  back_to_default(&Settings::excluded_column, "column.exclude.list");
  back_to_default(&Settings::message_key_column, "message.key.columns");
  back_to_default(&Settings::partitions, "topic.creation.default.partitions");
  back_to_default(&Settings::snapshot_mode, "snapshot.mode");
  back_to_default(&Settings::read_only, "read.only");
  back_to_default(&Settings::chunk_size, "incremental.snapshot.chunk.size");
  if (c.final_state && c.settings.skipped_operations == "none") {
    Case d = c;
    d.final_state = false;
    out.push_back({"no final-state expectation", d});
  }
  for (size_t t = 0; t < c.tables.size(); ++t) {
    for (size_t col = c.tables[t].key_columns;
         c.tables[t].columns.size() > c.tables[t].key_columns + 1 &&
         col < c.tables[t].columns.size();
         ++col)
      out.push_back(
          {"table " + std::to_string(t) + " without column " + c.tables[t].columns[col].name,
           without_column(c, t, col)});
    if (c.tables[t].keyless) {  // its primary key back
      Case d = c;
      d.tables[t].keyless = false;
      out.push_back({"table " + std::to_string(t) + " with its primary key", d});
    }
    if (c.tables[t].full_identity && !c.tables[t].keyless) {
      Case d = c;
      d.tables[t].full_identity = false;
      out.push_back({"table " + std::to_string(t) + " with replica identity DEFAULT", d});
    }
  }
  return out;
}

}  // namespace

Shrunk shrink(const Case& failing, const std::function<bool(const Case&)>& still_fails,
              std::chrono::steady_clock::time_point deadline, const ShrinkProgress& on_run) {
  Shrunk result{failing};
  std::set<std::string> tried;  // files already run: a rejected cut is not run again
  // In passes: within one, a cut that failed to keep the failure is not offered again after
  // another cut was kept (each run costs seconds, and another cut seldom makes it keepable);
  // the next pass offers every cut again, until one keeps nothing.
  for (bool kept_any = true; kept_any;) {
    kept_any = false;
    std::set<std::string> rejected_this_pass;
    for (bool restart = true; restart;) {
      restart = false;
      for (const auto& [cut, candidate] : smaller(result.minimal)) {
        if (rejected_this_pass.contains(cut)) continue;
        if (!well_typed(candidate)) continue;  // another failure than the case's, of its own
        if (!tried.insert(scenario_file_text(candidate)).second) continue;
        if (std::chrono::steady_clock::now() >= deadline) {
          result.finished = false;
          return result;
        }
        ++result.tried;
        const bool fails = still_fails(candidate);
        if (on_run) on_run(result.tried, cut, candidate, fails);
        if (!fails) {
          rejected_this_pass.insert(cut);
          continue;
        }
        ++result.accepted;
        result.minimal = candidate;
        kept_any = restart = true;
        break;  // the smaller case's cuts, from the first
      }
    }
  }
  return result;
}

}  // namespace cdc::explore
