#include "harness/report/report_writers.hpp"
#include "harness/common/text.hpp"

#include <regex>
#include <sstream>

#include <cstdio>

#include "harness/common/files.hpp"
#include "harness/report/svg_chart.hpp"
#include "harness/stack/topology.hpp"

namespace cdc {
namespace fs = std::filesystem;

namespace {

std::string stage_title(Stage stage) {
  switch (stage) {
    case Stage::CommitToCapture:
      return "commit → capture";
    case Stage::CaptureToKafka:
      return "capture → Kafka";
    case Stage::KafkaToConsumer:
      return "Kafka → consumer";
    case Stage::EndToEnd:
      return "commit return → receive";
    case Stage::IntendedToReceive:
      return "intended start → receive";
  }
  return "?";
}

const StageLatency& stage_of(const RateResult& r, Stage stage) {
  static const StageLatency empty;
  const auto it = r.latency.stages.find(stage);
  return it == r.latency.stages.end() ? empty : it->second;
}

std::string verdict_line(const ReportData& report) {
  return report.correct() ? "**Correct**: no lost, phantom, out-of-order, wrong-image or "
                            "partial-transaction change."
                          : "**ANOMALIES FOUND**: see Correctness below.";
}

}  // namespace

std::string markdown_report(const ReportData& report) {
  const auto& m = report.metadata;
  std::string md = "# cdc-harness report\n\n";
  const Topology topology{m.contains("topology") ? m["topology"].value("brokers", 1) : 1,
                          m.contains("topology") ? m["topology"].value("workers", 1) : 1};
  md += "Stack: " + m.value("stack", "native") +
        (topology.clustered() ? " (" + topology.describe() + ")" : "") +
        (m.value("version_set", "").empty() ? "" : ", version set " + m.value("version_set", "")) +
        " · PostgreSQL " + m["versions"].value("postgres", "?") + " · Kafka " +
        m["versions"].value("kafka", "?") + " · Debezium " + m["versions"].value("debezium", "?") +
        " · synchronous_commit=" + m["postgres_settings"].value("synchronous_commit", "?") + "\n\n";
  if (m.contains("worker") && m["worker"].contains("summary"))
    md += "Worker: " + m["worker"].value("summary", "") + "\n\n";
  md += "Load: open loop, " + m["load"]["rates_tps"].dump() + " transactions/s, " +
        fixed(m["load"].value("duration_s", 0.0), 0) + " s per rate, " +
        std::to_string(m["load"].value("sessions", 0)) + " sessions, mix insert/update/delete " +
        std::to_string(m["load"]["mix"].value("insert", 0)) + "/" +
        std::to_string(m["load"]["mix"].value("update", 0)) + "/" +
        std::to_string(m["load"]["mix"].value("delete", 0)) + "\n\n" + verdict_line(report) +
        "\n\n";

  md +=
      "## End to end: commit return → receive (ms)\n\n"
      "| profile | offered tx/s | achieved tx/s | events | p50 | p90 | p99 | p99.9 | max | harness "
      "CPU | harness peak RSS |\n"
      "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
  for (const auto& p : report.profiles) {
    for (const auto& r : p.rates) {
      const auto& s = stage_of(r, Stage::EndToEnd);
      md += "| " + p.profile.name + " | " + fixed(r.load.offered_rate, 0) + " | " +
            fixed(r.load.achieved_rate) + " | " + std::to_string(r.events) + " | " + ms(s.p50) +
            " | " + ms(s.p90) + " | " + ms(s.p99) + " | " + ms(s.p999) + " | " + ms(s.max) + " | " +
            fixed(r.load.harness_cpu_cores * 100, 0) + "% | " + fixed(r.harness_peak_rss_mb, 0) +
            " MB |\n";
    }
  }
  md += "\n## Stages: p50 / p99 (ms)\n\n| profile | tx/s |";
  for (const auto stage : all_stages()) md += " " + stage_title(stage) + " |";
  md += "\n|---|---:|";
  for (size_t i = 0; i < all_stages().size(); ++i) md += "---:|";
  md += "\n";
  for (const auto& p : report.profiles) {
    for (const auto& r : p.rates) {
      md += "| " + p.profile.name + " | " + fixed(r.load.offered_rate, 0) + " |";
      for (const auto stage : all_stages()) {
        const auto& s = stage_of(r, stage);
        md += " " + ms(s.p50) + " / " + ms(s.p99) +
              (s.non_positive ? " (" + std::to_string(s.non_positive) + " ≤0)" : "") + " |";
      }
      md += "\n";
    }
  }
  md +=
      "\nSamples ≤ 0 (clocks of different components disagree) stay in the numbers and are counted "
      "in brackets.\n";

  md +=
      "\n## Correctness (history checker)\n\n"
      "| profile | tx/s | changes | matched |";
  for (const auto kind : all_anomaly_kinds()) md += " " + to_string(kind) + " |";
  md += "\n|---|---:|---:|---:|";
  for (size_t i = 0; i < all_anomaly_kinds().size(); ++i) md += "---:|";
  md += "\n";
  for (const auto& p : report.profiles) {
    for (const auto& r : p.rates) {
      md += "| " + p.profile.name + " | " + fixed(r.load.offered_rate, 0) + " | " +
            std::to_string(r.load.changes) + " | " + std::to_string(r.verdict.matched);
      for (const auto kind : all_anomaly_kinds()) {
        md += " | " + std::to_string(r.verdict.count(kind));
      }
      md += " |\n";
    }
  }
  for (const auto& p : report.profiles) {
    for (const auto& r : p.rates) {
      for (size_t i = 0; i < r.verdict.anomalies.size() && i < 5; ++i) {
        md += "- " + p.profile.name + " @ " + fixed(r.load.offered_rate, 0) + ": " +
              to_string(r.verdict.anomalies[i].kind) + ": " + r.verdict.anomalies[i].evidence +
              "\n";
      }
    }
  }
  md += "\n## Profiles\n\n";
  for (const auto& p : report.profiles) {
    const auto saturation = p.saturation_rate();
    md += "- **" + p.profile.name + "**: " + p.profile.description +
          " (`poll.interval.ms`=" + p.connector_config.value("poll.interval.ms", "500 (default)") +
          ", producer `linger.ms`=" +
          p.connector_config.value("producer.override.linger.ms", "5 (default)") + "). " +
          (saturation
               ? "Saturates at " + fixed(*saturation, 0) + " tx/s offered: the " +
                     p.fell_behind().first + " fell behind first (" + p.fell_behind().second + ")."
               : "Held every offered rate, up to " +
                     fixed(p.rates.empty() ? 0 : p.rates.back().load.offered_rate, 0) + " tx/s.") +
          "\n";
  }
  return md;
}

std::string markdown_as_html(const std::string& markdown) {
  std::string html;
  bool in_table = false;
  std::istringstream lines(markdown);
  const auto cells = [](const std::string& row) {
    std::vector<std::string> out;
    std::string cell;
    for (size_t i = 1; i < row.size(); ++i) {
      if (row[i] == '|') {
        out.push_back(cell);
        cell.clear();
      } else {
        cell += row[i];
      }
    }
    for (auto& c : out) {
      c.erase(0, c.find_first_not_of(' '));
      c.erase(c.find_last_not_of(' ') + 1);
    }
    return out;
  };
  bool header = false;
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("|", 0) == 0) {
      if (line.find("---") != std::string::npos) continue;  // the header's underline
      if (!in_table) {
        html += "<table>";
        in_table = true;
        header = true;
      }
      const char* tag = header ? "th" : "td";
      html += "<tr>";
      for (const auto& cell : cells(line))
        html += std::string("<") + tag + ">" + html_escape(cell) + "</" + tag + ">";
      html += "</tr>";
      header = false;
      continue;
    }
    if (in_table) {
      html += "</table>";
      in_table = false;
    }
    if (line.empty()) continue;
    if (line.rfind("## ", 0) == 0) {
      html += "<h3>" + html_escape(line.substr(3)) + "</h3>";
    } else if (line.rfind("# ", 0) == 0) {
      continue;  // the page has its own title
    } else {
      // Markdown's emphasis and code spans, the only inline marks report.md uses.
      std::string text = std::regex_replace(html_escape(line), std::regex(R"(\*\*(.+?)\*\*)"),
                                            "<strong>$1</strong>");
      text = std::regex_replace(text, std::regex("`([^`]+)`"), "<code>$1</code>");
      html += "<p>" + text + "</p>";
    }
  }
  if (in_table) html += "</table>";
  return html;
}

std::string html_report(const ReportData& report) {
  std::string body;
  // CDF per stage, one line per profile, at the highest offered rate.
  for (const auto stage : all_stages()) {
    Chart chart{"Latency CDF: " + stage_title(stage) + " (highest rate)",
                "milliseconds (log)",
                "fraction of events",
                {},
                true,
                false};
    for (const auto& p : report.profiles) {
      if (p.rates.empty()) continue;
      const auto& s = stage_of(p.rates.back(), stage);
      ChartSeries series{p.profile.name, {}};
      const size_t n = s.samples.size();
      const size_t step = std::max<size_t>(1, n / 400);
      for (size_t i = 0; i < n; i += step) {
        series.points.emplace_back(static_cast<double>(s.samples[i]) / 1000.0,
                                   static_cast<double>(i + 1) / static_cast<double>(n));
      }
      if (n) series.points.emplace_back(static_cast<double>(s.samples.back()) / 1000.0, 1.0);
      chart.series.push_back(std::move(series));
    }
    body += "<figure>" + render_svg(chart) + "</figure>";
  }
  Chart over_time{"Commit return → receive over time (highest rate)",
                  "seconds since the step began",
                  "milliseconds",
                  {},
                  false,
                  true};
  for (const auto& p : report.profiles) {
    if (p.rates.empty() || p.rates.back().latency.over_time.empty()) continue;
    const auto& samples = p.rates.back().latency.over_time;
    const double t0 = static_cast<double>(samples.front().received_us);
    ChartSeries series{p.profile.name, {}};
    for (const auto& s : samples) {
      const auto it = s.stages.find(Stage::EndToEnd);
      if (it != s.stages.end()) {
        series.points.emplace_back((static_cast<double>(s.received_us) - t0) / 1e6,
                                   static_cast<double>(it->second) / 1000.0);
      }
    }
    over_time.series.push_back(std::move(series));
  }
  body += "<figure>" + render_svg(over_time) + "</figure>";
  Chart achieved{"Achieved vs. offered rate",
                 "offered transactions/s",
                 "achieved transactions/s",
                 {},
                 false,
                 false};
  Chart p99{"p99 commit return → receive vs. offered rate",
            "offered transactions/s",
            "milliseconds",
            {},
            false,
            false};
  for (const auto& p : report.profiles) {
    ChartSeries a{p.profile.name, {}}, l{p.profile.name, {}};
    for (const auto& r : p.rates) {
      a.points.emplace_back(r.load.offered_rate, r.load.achieved_rate);
      l.points.emplace_back(r.load.offered_rate,
                            static_cast<double>(stage_of(r, Stage::EndToEnd).p99) / 1000.0);
    }
    achieved.series.push_back(std::move(a));
    p99.series.push_back(std::move(l));
  }
  body += "<figure>" + render_svg(achieved) + "</figure><figure>" + render_svg(p99) + "</figure>";

  // The numbers, as in report.md (one source), with its tables as HTML tables.
  const std::string numbers = markdown_as_html(markdown_report(report));
  return "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>cdc-harness "
         "report</title>"
         "<style>body{font-family:sans-serif;margin:24px;max-width:1400px}figure{display:inline-"
         "block;margin:8px;"
         "border:1px solid "
         "#ddd}table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;padding:4px "
         "8px}td{text-align:right}td:first-child{text-align:left}.ok{color:#2a7}.bad{color:#c22}"
         "</style></head><body><h1>cdc-harness report</h1><p class='" +
         std::string(report.correct() ? "ok'>Correct: no lost, phantom, out-of-order, wrong-image "
                                        "or partial-transaction change."
                                      : "bad'>Anomalies found: see the correctness table.") +
         "</p>" + body + "<h2>Numbers</h2>" + numbers + "</body></html>\n";
}

void write_report(const ReportData& report, const fs::path& dir) {
  fs::create_directories(dir);
  write_file(dir / "report.json", to_json(report).dump(2) + "\n");
  write_file(dir / "report.md", markdown_report(report));
  write_file(dir / "index.html", html_report(report));
}

}  // namespace cdc
