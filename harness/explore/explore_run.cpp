#include "harness/explore/explore_run.hpp"

#include <algorithm>
#include <cstdio>
#include <functional>

#include <nlohmann/json.hpp>

#include "harness/common/files.hpp"
#include "harness/common/text.hpp"
#include "harness/connector/connector_handle.hpp"
#include "harness/explore/shrink.hpp"
#include "harness/scenario_file/scenario_runner.hpp"
#include "harness/stack/stack_probes.hpp"
#include "harness/stack/upstream_defects.hpp"

namespace cdc::explore {
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

std::string digest(const std::string& text) {
  uint64_t h = 1469598103934665603ULL;  // FNV-1a: a case's fingerprint, not a secret
  for (const unsigned char ch : text) h = (h ^ ch) * 1099511628211ULL;
  char out[17];
  std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(h));
  return out;
}

// `debezium`: what the worker runs, the truth where the stack was already up ("" when only
// generating: then the version set asked for).
std::string header(const Case& c, const ExploreOptions& o, const std::string& what,
                   const std::string& debezium) {
  std::string settings;
  for (const auto& s : c.settings.changed()) settings += (settings.empty() ? "" : ", ") + s;
  const auto changes = static_cast<size_t>(
      std::count_if(c.transactions.begin(), c.transactions.end(),
                    [](const Transaction& tx) { return tx.schema_change.has_value(); }));
  std::string snapshots;
  size_t signals = 0;
  for (const auto& tx : c.transactions) {
    if (!tx.snapshot) continue;
    ++signals;
    snapshots += ", a " + snapshot_name(*tx.snapshot) + " snapshot by signal";
  }
  const auto before =
      static_cast<size_t>(std::count_if(c.transactions.begin(), c.transactions.end(),
                                        [](const Transaction& tx) { return tx.before_connector; }));
  if (before > 0) snapshots += ", " + std::to_string(before) + " before the connector";
  return "# cdc-harness explore --seed " + std::to_string(c.seed) + ": case " +
         std::to_string(c.index) + (what.empty() ? "" : ", " + what) +
         (debezium.empty()
              ? "\n# version set " + (o.versions.empty() ? std::string("default") : o.versions)
              : "\n# Debezium " + debezium) +
         "; " + std::to_string(c.tables.size()) + " tables, " +
         std::to_string(c.transactions.size() - changes - signals) + " transactions, " +
         std::to_string(c.statement_count()) + " statements" +
         (changes ? ", " + std::to_string(changes) + " schema changes" : "") + snapshots +
         (c.faults.empty() ? ""
                           : ", faults " +
                                 [&] {
                                   std::string faults;
                                   for (size_t i = 0; i < c.faults.size(); ++i)
                                     faults += (i ? ", " : "") + c.faults[i] +
                                               (fault_placement(c, i).empty()
                                                    ? ""
                                                    : " (" + fault_placement(c, i) + ")");
                                   return faults;
                                 }()) +
         (settings.empty() ? "" : "; settings " + settings) + "\n\n";
}

void note_coverage(const Case& c, std::map<std::string, int>& coverage) {
  for (const auto& t : c.tables) {
    for (const auto& col : t.columns) ++coverage["type " + type_name(col.type)];
    ++coverage[t.keyless           ? "key none (REPLICA IDENTITY FULL)"
               : t.key_columns > 1 ? "key composite"
                                   : "key single"];
    ++coverage[t.identity_full() ? "replica identity FULL" : "replica identity DEFAULT"];
  }
  for (const auto& tx : c.transactions) {
    if (tx.schema_change) {
      const SchemaChange& change = *tx.schema_change;
      const ColumnType type = change.kind == SchemaChangeKind::AlterType
                                  ? change.type
                                  : c.tables[change.table].columns[change.column].type;
      ++coverage["schema change " + schema_change_name(change.kind) +
                 (change.kind == SchemaChangeKind::AddColumn && change.default_value
                      ? " with a DEFAULT"
                      : "") +
                 (change.kind == SchemaChangeKind::AlterType ? " to " + type_name(type) : "")];
    }
    if (tx.snapshot) {
      ++coverage["signal " + snapshot_name(*tx.snapshot) + " snapshot" +
                 (*tx.snapshot == SnapshotKind::Blocking ? ""
                  : c.settings.read_only                 ? " (read-only watermarks)"
                                                         : " (signal-table watermarks)") +
                 (*tx.snapshot == SnapshotKind::Incremental && c.settings.chunk_size
                      ? ", chunks of " + std::to_string(c.settings.chunk_size) + " rows"
                      : "") +
                 (tx.beside_writes ? ", beside writes" : "")];
    }
    if (tx.before_connector) ++coverage["transaction before the connector"];
    if (tx.rollback) ++coverage["transaction rolled back"];
    const size_t x = static_cast<size_t>(&tx - c.transactions.data());
    if (starts_early(c, x) > 0) ++coverage["transaction begun before the one before it commits"];
    if (writes_rows_of_the_one_before(c, x))
      ++coverage["transaction writing a row the concurrent one wrote"];
    if (tx.statements.size() > 1) ++coverage["transaction of several statements"];
    size_t rows = 0;
    for (const auto& s : tx.statements) rows += s.rows.size();
    if (rows >= 1000) ++coverage["transaction of 1,000 rows or more"];
    if (tx.copy) ++coverage[rows >= 5000 ? "COPY of 5,000 rows or more" : "COPY of a few rows"];
    for (const auto& s : tx.statements) {
      if (!tx.copy) ++coverage["statement " + statement_name(s.kind)];
      if (s.rows.size() > 1) ++coverage["statement multi-row insert"];
      if (s.rolled_back_to_savepoint) ++coverage["statement rolled back to a savepoint"];
    }
  }
  ++coverage["setting tombstones.on.delete=" +
             std::string(c.settings.tombstones ? "true" : "false")];
  ++coverage["setting skipped.operations=" + c.settings.skipped_operations];
  ++coverage["setting decimal.handling.mode=" + c.settings.decimal_mode];
  ++coverage["setting heartbeat.interval.ms=" +
             std::string(c.settings.heartbeats ? "1000" : "none")];
  ++coverage["setting provide.transaction.metadata=" +
             std::string(c.settings.transaction_metadata ? "true" : "false")];
  ++coverage["setting time.precision.mode=" + c.settings.time_precision_mode];
  ++coverage["setting value.converter.replace.null.with.default=" +
             std::string(c.settings.replace_null_with_default ? "true" : "false")];
  ++coverage["setting column.exclude.list=" +
             std::string(c.settings.excluded_column.empty() ? "none" : "a column")];
  ++coverage["setting snapshot.mode=" + c.settings.snapshot_mode];
  ++coverage["setting topic.creation.default.partitions=" + std::to_string(c.settings.partitions)];
  ++coverage["setting message.key.columns=" +
             std::string(c.settings.message_key_column.empty() ? "none" : "a column")];
  for (size_t i = 0; i < c.faults.size(); ++i) {
    ++coverage["fault " + c.faults[i]];
    if (!fault_placement(c, i).empty()) ++coverage["fault " + fault_placement(c, i)];
  }
}

std::string first_lines(const std::string& text, size_t lines) {
  size_t at = 0;
  for (size_t i = 0; i < lines && at != std::string::npos; ++i) {
    at = text.find('\n', at == 0 ? 0 : at + 1);
  }
  return at == std::string::npos ? text : text.substr(0, at);
}

std::string kinds_text(const std::set<std::string>& kinds) {
  std::string out;
  for (const auto& k : kinds) out += (out.empty() ? "" : ", ") + k;
  return out;
}

// ", the shape of dbz#1554 (known upstream; …)", or nothing.
std::string known_defect_text(const Finding& f) {
  if (f.known_defect.empty()) return "";
  return ", the shape of " + f.known_defect +
         (f.version_affected ? " (known: the defect table says this version has it)"
                             : " (the defect table says this version is FIXED: a new finding?)");
}

// The known defect whose shape a minimal failing case has: rows lost after a fault that fell
// while a bulk load streamed is debezium/dbz#1554's (a multi-insert WAL record's rows share one
// LSN; a task restarted from an offset at that LSN skips those it had not sent); metadata that
// disagrees after such a fault is debezium/dbz#633's (a task restarted inside a transaction
// numbers its events afresh and sends a second BEGIN); a wrong image where a column got a
// DEFAULT with a quote in it, sent for a NULL, is debezium/dbz#2440's (the field schema's
// default cut at the quote); a wrong image where a column's type was altered is harness#1's
// (a row streamed after the ALTER typed by the catalog as it is now); a final state that
// disagrees after an incremental snapshot beside writes is harness#2's. A match of shape, not
// a proof.
std::string known_defect_shape(const Case& minimal, const std::set<std::string>& kinds) {
  const bool quoted_default =
      std::any_of(minimal.transactions.begin(), minimal.transactions.end(), [](const auto& tx) {
        return tx.schema_change && tx.schema_change->default_value &&
               tx.schema_change->default_value->sql.find("''") != std::string::npos;
      });
  if (kinds.count("image") && quoted_default && minimal.settings.replace_null_with_default)
    return "dbz#2440";
  const bool type_altered =
      std::any_of(minimal.transactions.begin(), minimal.transactions.end(), [](const auto& tx) {
        return tx.schema_change && tx.schema_change->kind == SchemaChangeKind::AlterType;
      });
  if (kinds.count("image") && type_altered) return "harness#1 (not filed upstream)";
  // A final state that disagrees after an incremental snapshot beside writes, with the
  // signal table's watermarks: harness#2's (a stale read as a key's last event).
  if (kinds.count("final-state") && beside_writes(minimal) && !minimal.settings.read_only)
    return "harness#2 (not filed upstream)";
  bool while_streaming = false;
  for (size_t i = 0; i < minimal.faults.size(); ++i)
    while_streaming = while_streaming || fault_while_streaming(minimal, i);
  if (!while_streaming) return "";
  if (kinds.count("lost")) return "dbz#1554";
  if (kinds.count("metadata") && minimal.settings.transaction_metadata) return "dbz#633";
  return "";
}

}  // namespace

ExploreResult run_exploration(ScenarioStack* stack, const ExploreOptions& o,
                              const Progress& progress) {
  ExploreResult result;
  const auto started = std::chrono::steady_clock::now();
  const auto deadline = started + o.budget;
  fs::create_directories(o.out / "cases");
  // One case run: its kinds when it failed (an empty set: passed).
  const auto run = [&](const Case& c, const fs::path& file, std::string* failure) {
    write_file(file, scenario_file_text(c));
    const ScenarioOutcome outcome = run_scenario_file(file, *stack, false, Progress(true));
    if (outcome.passed) return std::set<std::string>{};
    if (failure) *failure = outcome.failure;
    return outcome.kinds.empty() ? std::set<std::string>{"error"} : outcome.kinds;
  };
  std::set<std::set<std::string>> shrunk_kinds;
  if (stack != nullptr) {
    ConnectClient connect(stack->endpoints.connect_url);
    result.debezium_version = plugin_version(connect, kDebeziumPostgresConnectorClass);
  }
  for (int i = 1;; ++i) {
    if (o.cases > 0 ? i > o.cases : std::chrono::steady_clock::now() >= deadline) break;
    Case c = generate_case(o.seed, i, o.space);
    // The case's digest without its header: what was generated, wherever it ran.
    result.case_digests.push_back(digest(scenario_file_text(c)));
    c.header = header(c, o, "", result.debezium_version);
    const fs::path file = o.out / "cases" / ("case-" + std::to_string(i) + ".cdc");
    note_coverage(c, result.coverage);
    result.events_expected += expected_event_count(c);
    ++result.cases;
    if (stack == nullptr) {
      write_file(file, scenario_file_text(c));
      continue;
    }
    std::string failure;
    const auto kinds = run(c, file, &failure);
    progress.stage("explore", std::to_string(result.cases) + " cases, " +
                                  std::to_string(result.events_expected) + " events expected, " +
                                  std::to_string(result.findings.size()) + " failures; case " +
                                  std::to_string(i) +
                                  (kinds.empty() ? " passed" : " failed: " + kinds_text(kinds)));
    if (kinds.empty()) continue;
    Finding f;
    f.case_index = i;
    f.kinds = kinds;
    f.failure = first_lines(failure, 6);
    f.original_file = file;
    f.original_steps = scenario_steps(c);
    f.original_statements = c.statement_count();
    f.found_after_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    f.minimal_file = o.out / "findings" / ("case-" + std::to_string(i) + "-minimal.cdc");
    if (!shrunk_kinds.insert(kinds).second) {
      f.minimal_file.clear();  // a failure of kinds already shrunk: the first one stands for it
      result.findings.push_back(f);
      continue;
    }
    fs::create_directories(o.out / "findings");
    const fs::path candidate_file = o.out / "findings" / "candidate.cdc";
    progress.stage("explore", "case " + std::to_string(i) + " failed (" + kinds_text(kinds) +
                                  "): shrinking it, for up to " +
                                  std::to_string(o.shrink_budget.count()) + " s");
    const Shrunk shrunk = shrink(
        c, [&](const Case& smaller) { return run(smaller, candidate_file, nullptr) == kinds; },
        std::chrono::steady_clock::now() + o.shrink_budget,
        [&](int run_number, const std::string& cut, const Case& smaller, bool kept) {
          progress.stage("shrink", "case " + std::to_string(i) + ", run " +
                                       std::to_string(run_number) + ": " + cut + " (" +
                                       std::to_string(scenario_steps(smaller)) + " steps): " +
                                       (kept ? "still fails, kept" : "passes or fails otherwise"));
        });
    fs::remove(candidate_file);
    Case minimal = shrunk.minimal;
    minimal.header =
        header(minimal, o,
               "shrunk from " + std::to_string(f.original_steps) + " steps (" +
                   std::to_string(f.original_statements) +
                   " statements) to the smallest that still fails with " + kinds_text(kinds),
               result.debezium_version) +
        "# replay: cdc-harness run" +
        (o.replay_connector.empty() ? "" : " --connector " + o.replay_connector) + " " +
        f.minimal_file.string() + "\n\n";
    f.minimal_steps = scenario_steps(minimal);
    f.minimal_statements = minimal.statement_count();
    f.shrink_runs = shrunk.tried;
    f.shrink_finished = shrunk.finished;
    // The file on its own, as a user would replay it.
    f.reproduced = run(minimal, f.minimal_file, nullptr) == kinds;
    f.known_defect = known_defect_shape(minimal, kinds);
    f.version_affected = !f.known_defect.empty() &&
                         affects(upstream_defect(f.known_defect), result.debezium_version);
    f.replay = "cdc-harness run" +
               (o.replay_connector.empty() ? std::string() : " --connector " + o.replay_connector) +
               " " + f.minimal_file.string();
    progress.stage("explore", "case " + std::to_string(i) + ": " +
                                  std::to_string(f.original_steps) + " steps shrunk to " +
                                  std::to_string(f.minimal_steps) + " in " +
                                  std::to_string(shrunk.tried) + " runs; " +
                                  (f.reproduced ? "the file fails on its own" : "NOT reproduced") +
                                  ": " + f.minimal_file.string() + known_defect_text(f));
    result.findings.push_back(f);
  }
  result.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

void write_explore_report(const ExploreResult& r, const ExploreOptions& o) {
  json findings = json::array();
  for (const auto& f : r.findings) {
    findings.push_back(
        {{"case", f.case_index},
         {"kinds", f.kinds},
         {"failure", f.failure},
         {"original_file", f.original_file.string()},
         {"original_steps", f.original_steps},
         {"original_statements", f.original_statements},
         {"minimal_file", f.minimal_file.string()},
         {"minimal_steps", f.minimal_steps},
         {"minimal_statements", f.minimal_statements},
         {"found_after_s", f.found_after_s},
         {"shrink_runs", f.shrink_runs},
         {"shrink_finished", f.shrink_finished},
         {"reproduced", f.reproduced},
         {"replay", f.replay},
         {"known_defect", f.known_defect.empty() ? json(nullptr) : json(f.known_defect)},
         {"version_affected", f.version_affected}});
  }
  const json doc = {{"seed", o.seed},
                    {"budget_s", o.budget.count()},
                    {"versions", o.versions.empty() ? "default" : o.versions},
                    {"debezium_version", r.debezium_version},
                    {"cases", r.cases},
                    {"events_expected", r.events_expected},
                    {"case_digests", r.case_digests},
                    {"coverage", r.coverage},
                    {"findings", findings},
                    {"seconds", r.seconds}};
  write_file(o.out / "explore.json", doc.dump(2) + "\n");

  std::string md =
      "# cdc-harness explore --seed " + std::to_string(o.seed) + "\n\n" + std::to_string(r.cases) +
      " cases in " + std::to_string(static_cast<int>(r.seconds)) + " s, " +
      std::to_string(r.events_expected) + " events expected, " + std::to_string(r.findings.size()) +
      " failing" + (r.debezium_version.empty() ? "" : ", on Debezium " + r.debezium_version) +
      ".\n\n## Failures\n\n";
  if (r.findings.empty()) md += "None.\n";
  for (const auto& f : r.findings) {
    md += "- case " + std::to_string(f.case_index) + " (" + kinds_text(f.kinds) + ", found after " +
          std::to_string(static_cast<int>(f.found_after_s)) + " s): ";
    if (f.minimal_file.empty()) {
      md += "the same kinds as an earlier failure; not shrunk\n";
      continue;
    }
    md += std::to_string(f.original_steps) + " steps shrunk to " + std::to_string(f.minimal_steps) +
          " in " + std::to_string(f.shrink_runs) + " runs" +
          (f.shrink_finished ? "" : " (the shrink budget ended it)") + ", " +
          (f.reproduced ? "fails on its own" : "did NOT fail on its own") + ": `" + f.replay + "`" +
          known_defect_text(f) + "\n";
  }
  md += "\n## What was generated\n\n| what | times |\n|---|---:|\n";
  for (const auto& [what, n] : r.coverage) md += "| " + what + " | " + std::to_string(n) + " |\n";
  write_file(o.out / "explore.md", md);

  std::string rows;
  for (const auto& [what, n] : r.coverage)
    rows += "<tr><td>" + what + "</td><td>" + std::to_string(n) + "</td></tr>";
  std::string failures;
  for (const auto& f : r.findings)
    failures += "<li>case " + std::to_string(f.case_index) + ": " + kinds_text(f.kinds) +
                (f.minimal_file.empty()
                     ? ""
                     : " &mdash; <a href=\"" + fs::relative(f.minimal_file, o.out).string() +
                           "\">minimal file</a> (" + std::to_string(f.minimal_steps) + " steps)") +
                "</li>";
  write_file(o.out / "index.html",
             "<!doctype html><meta charset=utf-8><title>cdc-harness explore</title><h1>explore "
             "--seed " +
                 std::to_string(o.seed) + "</h1><p>" + std::to_string(r.cases) + " cases, " +
                 std::to_string(r.events_expected) + " events expected, " +
                 std::to_string(r.findings.size()) + " failing</p><h2>Failures</h2><ul>" +
                 (failures.empty() ? "<li>none</li>" : failures) +
                 "</ul><h2>What was generated</h2><table>" + rows + "</table>\n");
}

}  // namespace cdc::explore
