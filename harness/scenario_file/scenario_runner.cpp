#include "harness/scenario_file/scenario_runner.hpp"

#include <algorithm>
#include <chrono>

#include "harness/common/files.hpp"
#include "harness/common/interrupt.hpp"
#include "harness/faults/fault_catalogue.hpp"
#include "harness/scenario_file/scenario_check.hpp"
#include "harness/scenario_file/scenario_context.hpp"
#include "harness/scenario_file/step_handlers.hpp"

namespace cdc {
namespace fs = std::filesystem;

namespace {

// One step, by its directive's handler (the check has turned away every other directive).
void run_step(ScenarioContext& ctx, size_t index) {
  const ScenarioStep& step = ctx.text.steps[index];
  throw_if_interrupted();
  ctx.progress.stage("scenario", ctx.text.path.filename().string() + ":" +
                                     std::to_string(step.line) + "  " +
                                     ctx.expand(step.header, step));
  const auto& handlers = step_handlers();
  const auto handler = std::find_if(handlers.begin(), handlers.end(), [&](const StepHandler& h) {
    return h.kind.directive == step.directive();
  });
  if (handler == handlers.end()) ctx.fail(step, "`" + step.directive() + "` is not a step");
  handler->run(ctx, index, step);
}

}  // namespace

// The variables every file has (connector_variables() come with `connector register`), its
// steps and the faults of the catalogue.
ScenarioVocabulary scenario_vocabulary(bool recording) {
  return {step_kinds(),
          {"run", "app_user", "debezium_user", "database", "kafka_bootstrap"},
          fault_names(),
          recording};
}

std::vector<std::string> check_scenario_files(const std::vector<fs::path>& files, bool record) {
  std::vector<std::string> errors;
  for (const auto& file : files) {
    try {
      for (auto& e : check_scenario(read_scenario(file), scenario_vocabulary(record)))
        errors.push_back(e);
    } catch (const ScenarioError& e) {
      errors.push_back(e.what());
    }
  }
  return errors;
}

ScenarioOutcome run_scenario_file(const fs::path& file, ScenarioStack& stack, bool record,
                                  const Progress& progress) {
  ScenarioOutcome outcome;
  const auto started = std::chrono::steady_clock::now();
  const ScenarioText text = read_scenario(file);
  std::map<size_t, std::vector<std::string>> recorded;
  if (const auto mistakes = check_scenario(text, scenario_vocabulary(record)); !mistakes.empty()) {
    for (const auto& m : mistakes) outcome.failure += (outcome.failure.empty() ? "" : "\n") + m;
    return outcome;
  }
  try {
    ScenarioContext ctx(text, stack, record, progress);
    for (size_t i = 0; i < text.steps.size(); ++i) {
      run_step(ctx, i);
      ++outcome.steps;
    }
    recorded = ctx.recorded;
    outcome.faults = ctx.fault_records;
    outcome.passed = true;
  } catch (const ScenarioError& e) {
    outcome.failure = e.what();
    outcome.kinds = e.kinds;
  } catch (const Interrupted&) {
    throw;
  } catch (const std::exception& e) {
    const int line = outcome.steps < static_cast<int>(text.steps.size())
                         ? text.steps[static_cast<size_t>(outcome.steps)].line
                         : 0;
    outcome.failure = text.at(line, e.what());
  }
  if (record && outcome.passed) {
    write_file(file, rewrite_bodies(text, recorded));
    outcome.recorded = true;
  }
  outcome.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return outcome;
}

}  // namespace cdc
