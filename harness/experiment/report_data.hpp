#pragma once
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/checkers/anomaly.hpp"
#include "harness/checkers/latency.hpp"
#include "harness/workload/load_generator.hpp"

namespace cdc {

// A named set of connector settings layered on debezium/customer-cdc.json, so one report
// can show what settings cost (e.g. Debezium's defaults vs. a low-latency profile).
struct ConnectorProfile {
  std::string name{};
  std::string description{};
  nlohmann::json overrides{};  // setting -> value; null removes the setting
};

struct RateResult {
  LoadResult load{};
  size_t events = 0;  // change events observed for this step (tombstones excluded)
  Verdict verdict{};  // judged at least once: duplicates are counted, legal
  LatencyReport latency{};
  // The harness process's peak resident set once the step was judged (a high-water mark over
  // the whole run so far): steps are judged as they run, so it should not grow with length.
  double harness_peak_rss_mb = 0;
};

struct ProfileResult {
  ConnectorProfile profile{};
  nlohmann::json connector_config{};  // as registered, secrets redacted
  std::vector<RateResult> rates{};

  // The lowest offered rate the pipeline did not hold: the generator fell short of it (the
  // database is the limit) or intended-start→receive p99 grew past 10x its value at the
  // lowest rate or past a quarter of the step's length (the pipeline fell behind: a backlog
  // grew). Nullopt: every step held.
  std::optional<double> saturation_rate() const;
  // Who fell behind first at that rate, and the evidence: "database" (sessions waited on
  // unanswered statements), "harness" (sends were late with no wait on Postgres: the
  // generator itself), "pipeline" (Postgres took every transaction on time; the events
  // arrived late). Empty when every step held.
  std::pair<std::string, std::string> fell_behind() const;
};

// Everything a report shows; report.json is its faithful serialisation.
struct ReportData {
  nlohmann::json metadata{};  // versions, latency-shaping settings, load profile, timestamps
  std::vector<ProfileResult> profiles{};

  // No lost, phantom, order, image or transaction anomaly anywhere (duplicates are legal
  // for at-least-once delivery and only counted).
  bool correct() const;
};

nlohmann::json to_json(const ReportData& report);

}  // namespace cdc
