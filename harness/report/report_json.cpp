#include "harness/experiment/report_data.hpp"

#include <algorithm>

namespace cdc {
using nlohmann::json;

bool ReportData::correct() const {
  for (const auto& p : profiles) {
    for (const auto& r : p.rates) {
      if (!r.verdict.ok()) return false;
    }
  }
  return true;
}

std::optional<double> ProfileResult::saturation_rate() const {
  if (rates.empty()) return std::nullopt;
  auto p99 = [](const RateResult& r) {
    const auto it = r.latency.stages.find(Stage::IntendedToReceive);
    return it == r.latency.stages.end() ? int64_t{0} : it->second.p99;
  };
  const int64_t baseline = std::max<int64_t>(p99(rates.front()), 1000);
  for (const auto& r : rates) {
    // A pipeline that keeps up delivers within a bounded time; one that does not builds a
    // backlog that grows with the step: p99 past a quarter of the step's length is one.
    const double step_us =
        static_cast<double>(r.load.transactions) / std::max(r.load.offered_rate, 1e-9) * 1e6;
    if (r.load.achieved_rate < 0.95 * r.load.offered_rate || p99(r) > 10 * baseline ||
        static_cast<double>(p99(r)) > step_us / 4)
      return r.load.offered_rate;
  }
  return std::nullopt;
}

std::pair<std::string, std::string> ProfileResult::fell_behind() const {
  const auto rate = saturation_rate();
  if (!rate) return {};
  const auto at = std::find_if(rates.begin(), rates.end(),
                               [&](const RateResult& r) { return r.load.offered_rate == *rate; });
  const LoadResult& load = at->load;
  const auto percent = [](double x) { return std::to_string(static_cast<int>(x * 100 + 0.5)); };
  const std::string cpu = "the harness used " + percent(load.harness_cpu_cores) + "% of a core";
  if (load.achieved_rate < 0.95 * load.offered_rate) {
    if (load.waits_for_database > 0)
      return {"database",
              "Postgres committed " + std::to_string(static_cast<int>(load.achieved_rate)) +
                  " of " + std::to_string(static_cast<int>(load.offered_rate)) +
                  " tx/s offered; sessions waited " + std::to_string(load.waits_for_database) +
                  " times on unanswered statements (" + cpu + ")"};
    return {"harness", "the generator sent late without waiting on Postgres: " +
                           std::to_string(load.late_starts) + " late starts (" + cpu + ")"};
  }
  const auto it = at->latency.stages.find(Stage::IntendedToReceive);
  const double p99_s =
      it == at->latency.stages.end() ? 0 : static_cast<double>(it->second.p99) / 1e6;
  return {"pipeline", "Postgres committed every transaction on time, but events arrived p99 " +
                          std::to_string(p99_s).substr(0, 4) + " s after they were due (" + cpu +
                          ")"};
}

namespace {

json stage_json(const StageLatency& s) {
  return {{"count", s.count}, {"non_positive", s.non_positive},
          {"p50_us", s.p50},  {"p90_us", s.p90},
          {"p99_us", s.p99},  {"p999_us", s.p999},
          {"max_us", s.max}};
}

json anomaly_json(const Anomaly& a) {
  return {{"key", a.key},
          {"op", a.op ? json(to_string(*a.op)) : json(nullptr)},
          {"tx_id", a.tx_id ? json(*a.tx_id) : json(nullptr)},
          {"evidence", a.evidence}};
}

json verdict_json(const Verdict& v) {
  json counts = json::object();
  json examples = json::object();
  for (const auto kind : all_anomaly_kinds()) {
    counts[to_string(kind)] = v.count(kind);
    json first = json::array();
    for (const auto& a : v.anomalies) {
      if (a.kind == kind && first.size() < 5) first.push_back(anomaly_json(a));
    }
    examples[to_string(kind)] = first;
  }
  return {{"matched", v.matched}, {"counts", counts}, {"examples", examples}, {"correct", v.ok()}};
}

}  // namespace

json to_json(const ReportData& report) {
  json profiles = json::array();
  for (const auto& p : report.profiles) {
    json rates = json::array();
    for (const auto& r : p.rates) {
      json stages = json::object();
      for (const auto& [stage, latency] : r.latency.stages)
        stages[to_string(stage)] = stage_json(latency);
      rates.push_back({{"offered_rate_tps", r.load.offered_rate},
                       {"achieved_rate_tps", r.load.achieved_rate},
                       {"transactions", r.load.transactions},
                       {"changes", r.load.changes},
                       {"late_starts", r.load.late_starts},
                       {"waits_for_database", r.load.waits_for_database},
                       {"harness_cpu_cores", r.load.harness_cpu_cores},
                       {"harness_peak_rss_mb", r.harness_peak_rss_mb},
                       {"max_start_delay_us", r.load.max_start_delay_us},
                       {"events", r.events},
                       {"unmatched_events", r.latency.unmatched_events},
                       {"latency", stages},
                       {"checkers", verdict_json(r.verdict)}});
    }
    const auto saturation = p.saturation_rate();
    const auto [who, why] = p.fell_behind();
    profiles.push_back({{"name", p.profile.name},
                        {"saturation_rate_tps", saturation ? json(*saturation) : json(nullptr)},
                        {"fell_behind", who.empty() ? json(nullptr) : json(who)},
                        {"fell_behind_evidence", why},
                        {"description", p.profile.description},
                        {"overrides", p.profile.overrides},
                        {"connector_config", p.connector_config},
                        {"rates", rates}});
  }
  return {{"schema_version", 1},
          {"metadata", report.metadata},
          {"profiles", profiles},
          {"correct", report.correct()}};
}

}  // namespace cdc
