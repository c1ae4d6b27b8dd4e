#include "harness/report/chaos_report.hpp"
#include "harness/common/text.hpp"

#include "harness/common/files.hpp"
#include "harness/report/svg_chart.hpp"

namespace cdc {
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

std::string seconds(double s) {
  if (s < 0) return "none";
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", s);
  return text;
}

size_t count(const FaultOutcome& f, AnomalyKind kind) {
  return f.verdict.count(kind);
}

}  // namespace

json to_json(const ChaosData& d) {
  json faults = json::array();
  for (const auto& f : d.faults) {
    json entry = to_json(f.record);
    entry["recovery_s"] = f.recovery_s;
    entry["worst_commit_to_receive_us"] = f.worst_latency_us;
    for (const auto kind : all_anomaly_kinds())
      entry["anomalies"][to_string(kind)] = count(f, kind);
    faults.push_back(entry);
  }
  json counts = json::object();
  for (const auto kind : all_anomaly_kinds()) counts[to_string(kind)] = d.verdict.count(kind);
  json examples = json::array();
  for (const auto& a : d.verdict.anomalies) {
    if (a.kind == AnomalyKind::Duplicate || examples.size() >= 20) continue;
    examples.push_back({{"kind", to_string(a.kind)}, {"key", a.key}, {"evidence", a.evidence}});
  }
  const auto e2e = d.latency.stages.find(Stage::EndToEnd);
  return {
      {"metadata", d.metadata},
      {"replay", d.replay},
      {"schedule", to_json(d.schedule)},
      {"load_started_us", d.load_started_us},
      {"liveness_bound_s", static_cast<double>(d.liveness_bound.count()) / 1000.0},
      {"load",
       {{"offered_rate_tps", d.load.offered_rate},
        {"achieved_rate_tps", d.load.achieved_rate},
        {"transactions", d.load.transactions},
        {"changes", d.load.changes},
        {"in_doubt", d.load.in_doubt},
        {"cut_off", d.load.failed}}},
      {"checkers", {{"matched", d.verdict.matched}, {"counts", counts}, {"examples", examples}}},
      {"commit_return_to_receive_us",
       e2e == d.latency.stages.end()
           ? json(nullptr)
           : json{{"p50", e2e->second.p50}, {"p99", e2e->second.p99}, {"max", e2e->second.max}}},
      {"faults", faults},
      {"correct", d.correct()}};
}

std::string markdown_chaos(const ChaosData& d) {
  std::string md = "# cdc-harness chaos\n\n";
  md += d.correct()
            ? "**Correct**: no lost, phantom, out-of-order or stalled change under faults.\n\n"
            : "**ANOMALIES FOUND** under faults: see below.\n\n";
  md += "Replay: `" + d.replay + "`\n\n";
  md += "Load: offered " + std::to_string(static_cast<int>(d.load.offered_rate)) +
        " tx/s, achieved " + std::to_string(static_cast<int>(d.load.achieved_rate)) + " tx/s, " +
        std::to_string(d.load.transactions) + " transactions (" + std::to_string(d.load.in_doubt) +
        " in doubt, judged by the rows Postgres holds; " + std::to_string(d.load.failed) +
        " cut off before COMMIT), " + std::to_string(d.verdict.matched) + " changes matched.\n\n";
  md += "Liveness: every committed change must be received within " +
        seconds(static_cast<double>(d.liveness_bound.count()) / 1000.0) +
        " s of its commit, or of the heal of the fault it was committed in; later is a stall.\n\n";
  md +=
      "| fault | injected at (s after load start) | healed at (s) | recovery (s) | worst "
      "commit→receive (ms) |";
  for (const auto kind : all_anomaly_kinds()) md += " " + to_string(kind) + " |";
  md += "\n|---|---:|---:|---:|---:|";
  for (size_t i = 0; i < all_anomaly_kinds().size(); ++i) md += "---:|";
  md += "\n";
  const int64_t t0 = d.load_started_us;
  for (const auto& f : d.faults) {
    md += "| " + f.record.fault + " | " +
          seconds(static_cast<double>(f.record.started_us - t0) / 1e6) + " | " +
          seconds(static_cast<double>(f.record.healed_us - t0) / 1e6) + " | " +
          seconds(f.recovery_s) + " | " + ms(f.worst_latency_us) + " |";
    for (const auto kind : all_anomaly_kinds()) md += " " + std::to_string(count(f, kind)) + " |";
    md += "\n";
  }
  md += "\nWhole run:";
  for (const auto kind : all_anomaly_kinds())
    md += " " + to_string(kind) + " " + std::to_string(d.verdict.count(kind)) + ";";
  md += "\n\n";
  size_t shown = 0;
  for (const auto& a : d.verdict.anomalies) {
    if (a.kind == AnomalyKind::Duplicate || shown++ >= 20) continue;
    md += "- " + to_string(a.kind) + ": " + a.evidence + "\n";
  }
  return md;
}

std::string html_chaos(const ChaosData& d) {
  Chart over_time{"Commit return → receive over time; faults shaded from start to heal",
                  "seconds since the load started",
                  "milliseconds",
                  {},
                  false,
                  true,
                  {}};
  const double t0 = static_cast<double>(d.load_started_us);
  ChartSeries series{"events", {}};
  for (const auto& s : d.latency.over_time) {
    const auto it = s.stages.find(Stage::EndToEnd);
    if (it == s.stages.end()) continue;
    series.points.emplace_back((static_cast<double>(s.received_us) - t0) / 1e6,
                               static_cast<double>(it->second) / 1000.0);
  }
  over_time.series.push_back(std::move(series));
  for (const auto& f : d.faults) {
    over_time.bands.push_back({f.record.fault,
                               (static_cast<double>(f.record.started_us) - t0) / 1e6,
                               (static_cast<double>(f.record.healed_us) - t0) / 1e6});
  }
  std::string table =
      "<table><tr><th>fault</th><th>recovery (s)</th><th>worst commit→receive (ms)</th>";
  for (const auto kind : all_anomaly_kinds()) table += "<th>" + to_string(kind) + "</th>";
  table += "</tr>";
  for (const auto& f : d.faults) {
    table += "<tr><td>" + html_escape(f.record.fault) + "</td><td>" + seconds(f.recovery_s) +
             "</td><td>" + ms(f.worst_latency_us) + "</td>";
    for (const auto kind : all_anomaly_kinds())
      table += "<td>" + std::to_string(count(f, kind)) + "</td>";
    table += "</tr>";
  }
  table += "</table>";
  return "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>cdc-harness "
         "chaos</title><style>body{font-family:sans-serif;margin:24px;max-width:1400px}"
         "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;"
         "text-align:right}.ok{color:#2a7}.bad{color:#c22}</style></head><body>"
         "<h1>cdc-harness chaos</h1><p class='" +
         std::string(d.correct()
                         ? "ok'>Correct: nothing lost, no phantom, no order violation, no stall."
                         : "bad'>Anomalies found under faults.") +
         "</p><p>Replay: <code>" + html_escape(d.replay) + "</code></p><figure>" +
         render_svg(over_time) + "</figure><h2>Faults</h2>" + table + "</body></html>\n";
}

void write_chaos(const ChaosData& data, const fs::path& dir) {
  fs::create_directories(dir);
  write_file(dir / "report.json", to_json(data).dump(2) + "\n");
  write_file(dir / "report.md", markdown_chaos(data));
  write_file(dir / "index.html", html_chaos(data));
}

}  // namespace cdc
