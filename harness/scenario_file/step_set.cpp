#include <regex>

#include "harness/scenario_file/step_handlers.hpp"

namespace cdc {

namespace {

// set NAME = VALUE
void run_set(ScenarioContext& ctx, size_t, const ScenarioStep& step) {
  static const std::regex form(R"(^set\s+([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$)");
  std::smatch m;
  if (!std::regex_match(step.header, m, form)) {
    ctx.fail(step, "write `set NAME = VALUE` (letters, digits and _ in NAME)");
  }
  ctx.no_body(step);
  ctx.vars[m[1]] = ctx.expand(m[2], step);
}

}  // namespace

StepHandler set_step() {
  // `set NAME = VALUE` is checked on its own (its words are not options).
  return {{"set",
           {"set NAME = VALUE"},
           "a variable, ${NAME} in later steps ($${x} stays a literal ${x})",
           {{"", {}}}},
          run_set};
}

}  // namespace cdc
