#include "harness/common/interrupt.hpp"
#include "harness/scenario_file/step_handlers.hpp"

namespace cdc {
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

// wait notification [type=COMPLETED] [aggregate=…] [timeout=…]: a notification Debezium
// sends on its sink channel (notification.sink.topic.name), after those already waited for.
void run_wait(ScenarioContext& ctx, size_t, const ScenarioStep& step) {
  ctx.no_body(step);
  if (step.action() != "notification") {
    ctx.fail(step, "`wait " + step.action() +
                       "` waits for nothing the harness knows: use `wait notification`");
  }
  if (!ctx.connector) ctx.fail(step, "notifications come from the file's connector: register it");
  const std::string topic = ctx.connector->setting("notification.sink.topic.name", "");
  if (topic.empty()) {
    ctx.fail(step,
             "the connector sends no notifications to Kafka: set "
             "notification.enabled.channels=sink and notification.sink.topic.name");
  }
  const std::string type = ctx.option(step, "type"), aggregate = ctx.option(step, "aggregate");
  RecordTopic& notes = ctx.record_topic(topic);
  const auto deadline = std::chrono::steady_clock::now() + ctx.timeout_of(step, 60s);
  for (;;) {
    throw_if_interrupted();
    for (; notes.cursor < notes.records.size(); ++notes.cursor) {
      const json note =
          observed_record({}, parsed_or_string(notes.records[notes.cursor].value.value_or("")), {},
                          {})
              .view["value"];
      if (!note.is_object()) continue;
      if ((type.empty() || note.value("type", "") == type) &&
          (aggregate.empty() || note.value("aggregate_type", "") == aggregate)) {
        ++notes.cursor;
        if (note.value("type", "") == "COMPLETED") ctx.events_may_follow_fence.clear();
        return;
      }
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      std::string seen;
      for (const auto& r : notes.records) seen += "\n  " + r.value.value_or("(null)");
      ctx.fail(step, "no notification" + (type.empty() ? "" : " of type " + type) +
                         (aggregate.empty() ? "" : " for " + aggregate) + " arrived on " + topic +
                         (seen.empty() ? " (none at all)" : "; seen:" + seen));
    }
    if (auto r = notes.reader->poll(100ms)) notes.records.push_back(std::move(*r));
  }
}

}  // namespace

StepHandler wait_step() {
  return {{"wait",
           {"wait notification [type=…] [aggregate=…] [timeout=…]"},
           "until Debezium's sink channel sends a matching notification",
           {{"notification", {{{"type", {}}, {"aggregate", {}}, {"timeout", {}}}}}}},
          run_wait};
}

}  // namespace cdc
