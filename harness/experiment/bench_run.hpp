#pragma once
#include <chrono>
#include <filesystem>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/common/progress.hpp"
#include "harness/connector/connector_config.hpp"
#include "harness/stack/endpoints.hpp"

namespace cdc {

struct BenchOptions {
  int events = 300000;  // rows of the one large transaction; the observer reads the whole topic
  std::chrono::seconds load{10};  // each load comparison
  // The load generator and pgbench each at every session count, best compared with best.
  std::vector<int> sessions{4, 16, 64};
  std::filesystem::path scratch{};  // pgbench's script and kcat's output go here
};

// The comparisons on a stack that streams `connector` (already registered), each against the
// tool a user would reach for instead, run in the same minute on the same machine:
// - the load generator against pgbench: the same INSERT and server, each swept over the
//   session counts, the best of each compared;
// - the pipeline's throughput: many small transactions, and one large one (commit -> topic);
// - the observer against kcat: the whole change topic, every envelope decoded, then judged;
// - the harness's CPU seconds per 100k events and peak RSS.
// Numbers are reported, never asserted: ratios are what matter on a shared machine.
nlohmann::json run_bench(const StackEndpoints& endpoints, const ConnectorConfig& connector,
                         const BenchOptions& options, const Progress& progress);

// bench.json and bench.md in `out`; returns the Markdown.
std::string write_bench(const nlohmann::json& bench, const std::filesystem::path& out);

}  // namespace cdc
