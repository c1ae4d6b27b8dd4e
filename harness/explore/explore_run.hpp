#pragma once
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "harness/common/progress.hpp"
#include "harness/explore/generator.hpp"
#include "harness/scenario_file/scenario_stack.hpp"

namespace cdc::explore {

struct ExploreOptions {
  uint64_t seed = 1;
  std::chrono::seconds budget{300};  // exploring; each finding's shrinking has its own
  std::chrono::seconds shrink_budget{120};
  int cases = 0;  // 0: until the budget ends
  Space space{};
  std::filesystem::path out{};
  std::string versions{};          // the version set, for the files' headers
  std::string replay_connector{};  // `--connector FILE` a replay needs ("" : the default)
};

// A failure, and the smallest case that still fails the same way.
struct Finding {
  int case_index = 0;
  std::set<std::string> kinds{};  // anomaly kinds, "final-state", or "error"
  std::string failure{};          // the original case's first lines of failure
  std::filesystem::path original_file{}, minimal_file{};
  size_t original_steps = 0, minimal_steps = 0;
  size_t original_statements = 0, minimal_statements = 0;
  double found_after_s = 0;  // from the exploration's start
  int shrink_runs = 0;
  bool shrink_finished = true;
  bool reproduced = false;  // the minimal file, run on its own, failed the same way
  std::string replay{};
  // A known upstream defect whose shape the minimal case has ("dbz#1554"), and whether the
  // defect table says the running version has it: a match, not a proof of the mechanism.
  std::string known_defect{};
  bool version_affected = false;
};

struct ExploreResult {
  std::string debezium_version{};  // what the worker runs ("" : only generated)
  int cases = 0;
  size_t events_expected = 0;
  std::vector<std::string> case_digests{};  // one per case: same seed, same cases
  std::map<std::string, int> coverage{};    // "type int", "statement update", "setting …", …
  std::vector<Finding> findings{};
  double seconds = 0;
};

// Generates cases from the seed and runs each as a scenario file on `stack` (files under
// out/cases/) until the budget or the case count ends; each failure of a new kind is
// shrunk (out/findings/). With `stack` null, only writes the cases.
ExploreResult run_exploration(ScenarioStack* stack, const ExploreOptions& options,
                              const Progress& progress);

// explore.json, explore.md and index.html in options.out.
void write_explore_report(const ExploreResult& result, const ExploreOptions& options);

}  // namespace cdc::explore
