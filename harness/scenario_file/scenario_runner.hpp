#pragma once
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "harness/common/progress.hpp"
#include "harness/faults/fault.hpp"
#include "harness/scenario_file/scenario_check.hpp"
#include "harness/scenario_file/scenario_stack.hpp"

namespace cdc {

struct ScenarioOutcome {
  bool passed = false;
  std::vector<FaultRecord> faults{};  // the file's, as the experiment engine records its own
  std::string failure{};              // "file:line: what", then the diff; empty when passed
  std::set<std::string> kinds{};      // what the failed expectation found (ScenarioError::kinds)
  int steps = 0;                      // steps run
  double seconds = 0;
  bool recorded = false;  // --record rewrote the file
};

// What the runner knows besides a file: its steps, variables and faults.
ScenarioVocabulary scenario_vocabulary(bool recording);

// Every mistake the files' text shows, before anything runs (scenario_check.hpp): each
// "file:line: what"; none when they can run.
std::vector<std::string> check_scenario_files(const std::vector<std::filesystem::path>& files,
                                              bool record);

// Runs one scenario file step by step, once its text has passed the check; the first step that
// fails ends it. Whatever it started (sessions, connector, faults, topics, `cleanup` steps) is
// undone either way. With `record`, each `expect events`/`expect records` body is replaced by what
// arrived.
ScenarioOutcome run_scenario_file(const std::filesystem::path& file, ScenarioStack& stack,
                                  bool record, const Progress& progress);

}  // namespace cdc
