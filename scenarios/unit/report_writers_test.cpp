// Report writers on a report built from recorded events and the history behind them.
#include "harness/report/report_writers.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>

#include "harness/checkers/change_checks.hpp"
#include "scenarios/unit/recorded_events.hpp"

namespace cdc::unit {
namespace {
using ::testing::HasSubstr;
using ::testing::Not;

ReportData recorded_report() {
  std::vector<HistoryEntry> history;
  for (const auto& c : recorded_mutations())
    history.push_back(HistoryEntry{c, true, std::nullopt, 0, 0});
  const auto events = recorded_events("customers-with-schemas.json");
  RateResult step;
  step.load.offered_rate = 50;
  step.load.achieved_rate = 49.5;
  step.load.transactions = 3;
  step.load.changes = history.size();
  step.events = 11;
  step.verdict = check_history(history, std::vector<ChangeEvent>(events.begin() + 4, events.end()),
                               MatchRules{.delivery = Delivery::AtLeastOnce});
  step.latency = measure_latency(history, events);
  ReportData report;
  report.metadata = {
      {"stack", "compose"},
      {"versions", {{"postgres", "15"}, {"kafka", "4.1.1"}, {"debezium", "3.4.1.Final"}}},
      {"postgres_settings", {{"synchronous_commit", "on"}}},
      {"load",
       {{"rates_tps", {50}},
        {"duration_s", 10},
        {"sessions", 2},
        {"mix", {{"insert", 60}, {"update", 30}, {"delete", 10}}}}}};
  report.profiles.push_back(
      ProfileResult{ConnectorProfile{"low-latency", "fast", {}},
                    {{"poll.interval.ms", "10"}, {"database.password", "[redacted]"}},
                    {step}});
  return report;
}

TEST(ReportWriters, MarkdownCarriesTheVerdictAndEveryTable) {
  const std::string md = markdown_report(recorded_report());
  EXPECT_THAT(md, HasSubstr("**Correct**"));
  EXPECT_THAT(md, HasSubstr("| low-latency | 50 | 49.5 | 11 |"));
  EXPECT_THAT(md, HasSubstr("| low-latency | 50 | 7 | 9 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |"));
  EXPECT_THAT(md, HasSubstr("Held every offered rate"));
  EXPECT_THAT(md, HasSubstr("Stack: compose · PostgreSQL 15"));
}

// A sweep's steps, by what each shows; the first one not held names who fell behind.
RateResult step(double offered, double achieved, int64_t p99_us, size_t waits) {
  RateResult r;
  r.load.offered_rate = offered;
  r.load.achieved_rate = achieved;
  r.load.transactions = static_cast<size_t>(offered * 10);  // 10 s steps
  r.load.waits_for_database = waits;
  r.load.harness_cpu_cores = 0.2;
  r.latency.stages[Stage::IntendedToReceive].p99 = p99_us;
  return r;
}

TEST(ReportWriters, ASweepNamesWhoFellBehindFirst) {
  ProfileResult held{{"p", "", {}},
                     nlohmann::json::object(),
                     {step(100, 100, 20'000, 0), step(200, 199, 30'000, 0)}};
  EXPECT_FALSE(held.saturation_rate());
  EXPECT_EQ(held.fell_behind().first, "");

  // Postgres took every transaction on time; the events came ever later: a backlog.
  ProfileResult pipeline{{"p", "", {}},
                         nlohmann::json::object(),
                         {step(1000, 995, 50'000, 0), step(2000, 1990, 4'000'000, 0)}};
  EXPECT_EQ(pipeline.saturation_rate(), 2000);
  EXPECT_EQ(pipeline.fell_behind().first, "pipeline");
  EXPECT_THAT(pipeline.fell_behind().second, HasSubstr("p99 4.00 s"));

  // Fewer transactions than offered while sessions waited on Postgres's answers.
  ProfileResult database{{"p", "", {}},
                         nlohmann::json::object(),
                         {step(1000, 995, 50'000, 0), step(8000, 5200, 60'000, 3100)}};
  EXPECT_EQ(database.fell_behind().first, "database");
  EXPECT_THAT(database.fell_behind().second, HasSubstr("5200 of 8000"));

  // Fewer transactions than offered, and nothing waited on Postgres: the generator itself.
  ProfileResult harness{{"p", "", {}},
                        nlohmann::json::object(),
                        {step(1000, 995, 50'000, 0), step(8000, 5200, 60'000, 0)}};
  EXPECT_EQ(harness.fell_behind().first, "harness");

  ReportData report = recorded_report();
  report.profiles[0] = pipeline;
  EXPECT_THAT(markdown_report(report), HasSubstr("the pipeline fell behind first"));
  EXPECT_EQ(to_json(report)["profiles"][0]["fell_behind"], "pipeline");
}

TEST(ReportWriters, MarkdownNamesAnomalies) {
  ReportData report = recorded_report();
  report.profiles[0].rates[0].verdict.add(AnomalyKind::Lost, {{"id", 9}}, Op::Create, 740,
                                          "op=c key={\"id\":9} never observed");
  const std::string md = markdown_report(report);
  EXPECT_THAT(md, HasSubstr("ANOMALIES FOUND"));
  EXPECT_THAT(md, HasSubstr("lost: op=c key={\"id\":9} never observed"));
  EXPECT_FALSE(to_json(report)["correct"].get<bool>());
}

TEST(ReportWriters, HtmlIsSelfContainedWithCharts) {
  const std::string html = html_report(recorded_report());
  EXPECT_THAT(html, HasSubstr("<svg"));
  EXPECT_THAT(html, Not(HasSubstr("<script")));
  // The numbers are HTML tables, not Markdown in a <pre>.
  EXPECT_THAT(html, Not(HasSubstr("<pre>")));
  EXPECT_THAT(html, HasSubstr("<th>lost</th>"));
  EXPECT_THAT(html, HasSubstr("<td>low-latency</td>"));
  EXPECT_THAT(html, HasSubstr("<strong>Correct</strong>"));
  // No resource from the network: the only URL is SVG's namespace.
  const std::regex url(R"((https?:)?//[a-z])");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), url); it != std::sregex_iterator();
       ++it) {
    const auto context = html.substr(static_cast<size_t>(it->position()), 30);
    EXPECT_THAT(context, HasSubstr("//www.w3.org/2000/svg")) << context;
  }
}

}  // namespace
}  // namespace cdc::unit
