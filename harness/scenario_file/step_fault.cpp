#include "harness/faults/fault_catalogue.hpp"
#include "harness/scenario_file/step_handlers.hpp"

namespace cdc {

namespace {

// fault NAME (injected and healed), fault start NAME, fault heal NAME
void run_fault(ScenarioContext& ctx, size_t, const ScenarioStep& step) {
  ctx.no_body(step);
  if (!ctx.connector) ctx.fail(step, "faults act on the file's connector: register it first");
  const bool start = step.action() == "start", heal = step.action() == "heal";
  const std::string name = (start || heal) && step.words.size() > 2 ? step.words[2]
                           : (start || heal)                        ? ""
                                                                    : step.action();
  if (name.empty()) ctx.fail(step, "name the fault: fault start connect-crash");
  if (heal) {
    const auto it = ctx.faults.find(name);
    if (it == ctx.faults.end())
      ctx.fail(step, "fault " + name + " was not started: `fault start` it");
    Fault f = std::move(it->second);
    ctx.faults.erase(it);
    f.heal();
    return;
  }
  try {
    Fault f = make_fault(name, FaultTarget{ctx.stack.backend, ctx.stack.endpoints, *ctx.connector});
    f.start();
    if (start) {
      ctx.faults.emplace(name, std::move(f));
    } else {
      f.heal();
    }
  } catch (const HarnessError& e) {
    ctx.fail(step, e.what());
  }
}

}  // namespace

StepHandler fault_step() {
  return {{"fault",
           {"fault NAME, fault start NAME, fault heal NAME"},
           "a fault of the catalogue on the file's connector, injected and healed, or in two "
           "steps; one still started at the end is healed",
           {{"*", {}}}},
          run_fault};
}

}  // namespace cdc
