#include <pqxx/pqxx>

#include "harness/common/text.hpp"
#include "harness/common/timeouts.hpp"
#include "harness/connector/signals.hpp"
#include "harness/scenario_file/step_handlers.hpp"

namespace cdc {
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

// signal TYPE [channel=source|kafka] [id=…], the body the signal's data (JSON)
void run_signal(ScenarioContext& ctx, size_t, const ScenarioStep& step) {
  if (!ctx.connector) ctx.fail(step, "signals go to the file's connector: register it first");
  Signal s;
  s.type = step.action();
  if (s.type.empty()) ctx.fail(step, "name the signal: signal execute-snapshot");
  s.id = ctx.option(step, "id", "signal-" + ctx.vars["run"] + "-" + std::to_string(step.line));
  const std::string body = ctx.expand(step.body_text(), step);
  if (body.find_first_not_of(" \t\n") != std::string::npos) {
    try {
      s.data = json::parse(body);
    } catch (const json::parse_error& e) {
      ctx.fail(step, std::string("the signal's data is not JSON: ") + e.what());
    }
  }
  if (s.type.find("snapshot") != std::string::npos) {
    // An incremental snapshot's chunks are read beside the stream: they can come after a
    // fence written meanwhile.
    ctx.events_may_follow_fence = "the snapshot signalled at line " + std::to_string(step.line) +
                                  " may still be reading (`wait notification type=COMPLETED` "
                                  "after it lets expectations be judged at the fence)";
  }
  const std::string channel = ctx.option(step, "channel", "source");
  if (channel == "source") {
    const std::string table = ctx.connector->setting("signal.data.collection", "");
    if (table.empty()) {
      ctx.fail(step,
               "the connector has no signal table: set signal.data.collection in its "
               "config (and create the table: id, type, data)");
    }
    try {
      send_signal_by_table(ctx.stack.endpoints.app, table, s);
    } catch (const pqxx::sql_error& e) {
      ctx.fail(step, "cannot write the signal to " + table + ": " + first_line(e.what()));
    }
  } else if (channel == "kafka") {
    const std::string topic = ctx.connector->setting("signal.kafka.topic", "");
    if (topic.empty()) {
      ctx.fail(step,
               "the connector reads no Kafka signals: set signal.enabled.channels to "
               "include kafka, and signal.kafka.topic and signal.kafka.bootstrap.servers");
    }
    send_signal_by_kafka(ctx.stack.endpoints.kafka_bootstrap, topic, ctx.connector->topic_prefix(),
                         s, scaled(10s));
  } else {
    ctx.fail(step, "channel=" + channel + " is not a signal channel: use source or kafka");
  }
}

}  // namespace

StepHandler signal_step() {
  return {{"signal",
           {"signal TYPE [channel=source|kafka]"},
           "a Debezium signal (execute-snapshot, …), the body its data, through the signal "
           "table or the Kafka signal topic",
           {{"*",
             {{{"channel", {"source", "kafka"}}, {"id", {}}},
              {},
              StepForm::Body::Optional,
              StepForm::BodyKind::Json}}}},
          run_signal};
}

}  // namespace cdc
