#pragma once
#include <string>
#include <vector>

#include "harness/scenario_file/scenario_text.hpp"
#include "harness/scenario_file/step_kind.hpp"

namespace cdc {

// What the runner knows besides the file: its steps, the variables every file has, and the
// faults of the catalogue.
struct ScenarioVocabulary {
  std::vector<StepKind> steps{};
  std::vector<std::string> variables{};  // run, app_user, …; connector, slot, topic_prefix
                                         // come with `connector register`
  std::vector<std::string> faults{};
  bool recording = false;  // --record: an expectation's body may be empty, to be filled
};

// Every mistake the file's text shows, found before anything runs: an unknown step or
// action, an option or flag its step does not declare, a value outside an option's choices,
// a missing or unexpected body, a malformed event, record or JSON line, an unknown fault,
// a variable used before anything sets it. Each is "file:line: what", naming the choices.
// Lines whose meaning depends on a variable's value are left to the run.
std::vector<std::string> check_scenario(const ScenarioText& text,
                                        const ScenarioVocabulary& vocabulary);

// The variables the runner defines once the file's connector is registered.
const std::vector<std::string>& connector_variables();

}  // namespace cdc
