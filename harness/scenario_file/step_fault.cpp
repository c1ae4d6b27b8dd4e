#include "harness/common/clock.hpp"
#include "harness/connector/connector_lifecycle.hpp"
#include "harness/faults/fault_catalogue.hpp"
#include "harness/faults/nemesis.hpp"
#include "harness/scenario_file/step_handlers.hpp"

namespace cdc {

namespace {

// As the experiment engine settles each fault: healed, then the connector streams and
// everything committed until then has come through (a fence, as before an expectation);
// recorded with the positions after.
void heal_and_settle(ScenarioContext& ctx, const ScenarioStep& step, const FaultTarget& target,
                     const Fault& fault, FaultRecord record) {
  heal(fault, record, ctx.progress);
  wait_until_streaming(ctx.stack.endpoints, *ctx.connector);
  ctx.settle(step, {});
  ctx.fault_records.push_back(std::move(record));
  const int64_t caught_up = now_us();
  const nlohmann::json after = pipeline_positions(target);
  ctx.progress.stage("fault", fault.name + ": the pipeline caught up");
  // This one, and those healed while it was in effect, which could not settle then.
  for (auto& r : ctx.fault_records) {
    if (r.caught_up_us != 0) continue;
    r.caught_up_us = caught_up;
    r.after = after;
  }
}

// fault NAME (injected and healed), fault start NAME, fault heal NAME
void run_fault(ScenarioContext& ctx, size_t, const ScenarioStep& step) {
  ctx.no_body(step);
  if (!ctx.connector) ctx.fail(step, "faults act on the file's connector: register it first");
  const bool start = step.action() == "start", heal_step = step.action() == "heal";
  const std::string name = (start || heal_step) && step.words.size() > 2 ? step.words[2]
                           : (start || heal_step)                        ? ""
                                                                         : step.action();
  if (name.empty()) ctx.fail(step, "name the fault: fault start connect-crash");
  const FaultTarget target{ctx.stack.backend, ctx.stack.endpoints, *ctx.connector};
  try {
    if (heal_step) {
      const auto it = ctx.faults.find(name);
      if (it == ctx.faults.end())
        ctx.fail(step, "fault " + name + " was not started: `fault start` it");
      StartedFault started = std::move(it->second);
      ctx.faults.erase(it);
      if (!ctx.faults.empty()) {
        // Another fault is still in effect (a crash under slow acks, say): the pipeline cannot
        // settle yet; it does when the last one heals, and both records say when.
        heal(started.fault, started.record, ctx.progress);
        ctx.fault_records.push_back(std::move(started.record));  // caught up: not yet
        return;
      }
      heal_and_settle(ctx, step, target, started.fault, std::move(started.record));
      return;
    }
    Fault fault = make_fault(name, target);
    FaultRecord record = inject(
        fault, [&] { return pipeline_positions(target); }, ctx.progress);
    if (start) {
      ctx.faults.emplace(name, StartedFault{std::move(fault), std::move(record)});
    } else {
      heal_and_settle(ctx, step, target, fault, std::move(record));
    }
  } catch (const ScenarioError&) {
    throw;
  } catch (const HarnessError& e) {
    ctx.fail(step, e.what());
  }
}

}  // namespace

StepHandler fault_step() {
  return {{"fault",
           {"fault NAME, fault start NAME, fault heal NAME"},
           "a fault of the catalogue on the file's connector, injected and healed, or in two "
           "steps; after the heal, the step waits until the pipeline caught up (as the "
           "experiment engine settles each fault); one still started at the end is healed",
           {{"*", {}}}},
          run_fault};
}

}  // namespace cdc
