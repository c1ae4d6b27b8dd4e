#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "harness/scenario_file/scenario_context.hpp"
#include "harness/scenario_file/step_kind.hpp"

namespace cdc {

// One directive of the scenario-file language: what it may say (the check, `run --help` and
// the README's step table read it) and what it does.
struct StepHandler {
  StepKind kind;
  void (*run)(ScenarioContext& ctx, size_t index, const ScenarioStep& step);
};

// Every directive, in the order the README's step table lists them.
const std::vector<StepHandler>& step_handlers();
std::vector<StepKind> step_kinds();
// The steps for `run --help`: each usage, then its summary.
std::string steps_help();

// Each in a file of its own (step_<directive>.cpp).
StepHandler set_step();
StepHandler sql_step();
StepHandler copy_step();
StepHandler cleanup_step();
StepHandler connector_step();
StepHandler fault_step();
StepHandler signal_step();
StepHandler wait_step();
StepHandler expect_step();

}  // namespace cdc
