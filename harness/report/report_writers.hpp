#pragma once
#include <filesystem>
#include <string>

#include "harness/experiment/report_data.hpp"

namespace cdc {

// report.md: the same numbers as report.json, for people and CI job summaries.
std::string markdown_report(const ReportData& report);

// index.html: self-contained (inline SVG, no scripts, no network) with charts: latency CDF
// per stage, latency over time, achieved vs. offered rate, p99 vs. offered rate.
std::string html_report(const ReportData& report);

// report.md's text in HTML: its tables as <table>, headings and lines as such.
std::string markdown_as_html(const std::string& markdown);

// Writes report.json, report.md and index.html into `dir` (created if needed).
void write_report(const ReportData& report, const std::filesystem::path& dir);

}  // namespace cdc
