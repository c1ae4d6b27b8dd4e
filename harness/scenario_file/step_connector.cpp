#include <iostream>
#include <pqxx/pqxx>

#include "harness/common/text.hpp"
#include "harness/common/timeouts.hpp"
#include "harness/common/wait.hpp"
#include "harness/connector/capture_check.hpp"
#include "harness/connector/connector_handle.hpp"
#include "harness/connector/connector_lifecycle.hpp"
#include "harness/scenario_file/step_handlers.hpp"
#include "harness/stack/kafka_admin.hpp"

namespace cdc {
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

// Fences are rows of a table of the file's own that its connector captures beside the
// file's tables (a logical decoding message would do without one, but every connector on the
// database emits messages, the user's own too).
constexpr const char* kFenceTable = "cdc_harness_fence_";

// The fence table: created once, added to the include list (when there is one) and to the
// publication (when it names tables), so the connector streams its rows in commit order
// with the file's changes.
void add_fence_table(ScenarioContext& ctx, const ScenarioStep& step) {
  const std::string publication = ctx.connector->setting("publication.name", "dbz_publication");
  try {
    pqxx::connection conn(ctx.stack.endpoints.app.conninfo());
    pqxx::nontransaction tx(conn);
    if (ctx.fence_table.empty()) {
      // Postgres cuts names at 63 bytes: a long file name gives way to the run id and the
      // random tail. The names Postgres derives (<table>_id_seq, <table>_pkey) must fit
      // too, or it cuts them from the end, and two runs of one file at once collide.
      const std::string& run = ctx.vars["run"];
      constexpr size_t kMaxName = 63 - std::char_traits<char>::length("_id_seq");
      const size_t room = kMaxName - std::string(kFenceTable).size();
      ctx.fence_table = "public." + std::string(kFenceTable) +
                        (run.size() > room ? run.substr(run.size() - room) : run);
      tx.exec("CREATE TABLE IF NOT EXISTS " + ctx.fence_table +
              " (id bigserial PRIMARY KEY); GRANT SELECT ON " + ctx.fence_table + " TO " +
              tx.quote_name(ctx.stack.endpoints.debezium.user));
    }
    std::string list = ctx.connector->setting("table.include.list", "");
    const std::string entry = "," + ctx.fence_table;
    if (const auto at = list.find(entry); at != std::string::npos) list.erase(at, entry.size());
    ctx.include_list = list;
    if (!list.empty()) ctx.connector->config["table.include.list"] = list + entry;
    const auto listed = tx.exec_params(
        "SELECT puballtables, EXISTS (SELECT 1 FROM pg_publication_tables t WHERE t.pubname = "
        "p.pubname AND t.schemaname || '.' || t.tablename = $2) FROM pg_publication p WHERE "
        "pubname = $1",
        publication, ctx.fence_table);
    if (!listed.empty() && !listed[0][0].as<bool>() && !listed[0][1].as<bool>()) {
      tx.exec("ALTER PUBLICATION " + tx.quote_name(publication) + " ADD TABLE " + ctx.fence_table);
    }
  } catch (const pqxx::sql_error& e) {
    ctx.fail(step, "cannot add the harness's fence table " + ctx.fence_table + " to publication " +
                       publication + " (" + first_line(e.what()) +
                       "): expectations need it; create the publication as the app role " +
                       ctx.stack.endpoints.app.user + ", or FOR ALL TABLES");
  }
}

void register_connector_step(ScenarioContext& ctx, const ScenarioStep& step) {
  const bool update = ctx.connector.has_value();
  if (!ctx.connector) {
    ctx.connector = isolated_copy(ctx.stack.base_connector, ctx.vars["run"]);
    ctx.vars["connector"] = ctx.connector->name;
    ctx.vars["slot"] = ctx.connector->slot_name();
    ctx.vars["topic_prefix"] = ctx.connector->topic_prefix();
  }
  const std::string body = ctx.expand(step.body_text(), step);
  if (body.find_first_not_of(" \t\n") != std::string::npos) {
    json settings;
    try {
      settings = json::parse(body);
    } catch (const json::parse_error& e) {
      ctx.fail(step, std::string("the body is not a JSON object of settings: ") + e.what());
    }
    if (!settings.is_object()) ctx.fail(step, "the body must be a JSON object of settings");
    for (const auto& [key, value] : settings.items()) {
      if (value.is_null()) {
        ctx.connector->config.erase(key);
      } else {
        ctx.connector->config[key] = value.is_string() ? value.get<std::string>() : value.dump();
      }
    }
    ctx.vars["topic_prefix"] = ctx.connector->topic_prefix();
  }
  add_fence_table(ctx, step);
  for (const auto& warning : capture_warnings(
           *ctx.connector, read_capture_facts(ctx.stack.endpoints.app, *ctx.connector))) {
    std::cerr << ctx.text.at(step.line, "warning: " + warning) << "\n";
  }
  try {
    // Debezium's Kafka signal consumer, started on a topic not there yet, can miss the
    // first signal written to it (seen on a fresh cluster): the topic exists beforehand.
    const std::string signal_topic = ctx.connector->setting("signal.kafka.topic", "");
    // Its consumer group too is the file's own (Debezium's default, kafka-signal, is shared).
    if (!signal_topic.empty() && ctx.connector->setting("signal.kafka.groupId", "").empty()) {
      ctx.signal_group = ctx.connector->name + "-signals";
      ctx.connector->config["signal.kafka.groupId"] = ctx.signal_group;
    }
    if (!signal_topic.empty()) {
      create_kafka_topic(ctx.stack.endpoints.kafka_bootstrap, signal_topic, 1, scaled(30s));
    }
    if (update) {
      // Connect applies a new config to running tasks in its own time (a step right after
      // the PUT met the old task, and so did a restart asked for at once): stopped first
      // (offsets committed), the config put, then resumed, the tasks start on the new config.
      ConnectorHandle handle(ctx.stack.endpoints.connect_url, ctx.connector->name);
      handle.stop();
      register_connector(ctx.stack.endpoints, *ctx.connector);
      // 409 while Connect still takes in the config: asked again until it resumes.
      wait_for("Connect to resume " + ctx.connector->name + " on its new settings", scaled(30s),
               [&]() -> Probe<bool> {
                 try {
                   handle.resume();
                   return Probe<bool>::ready(true);
                 } catch (const HarnessError& e) {
                   if (std::string(e.what()).find("HTTP 409") == std::string::npos) throw;
                   return Probe<bool>::not_yet(e.what());
                 }
               });
    } else {
      register_connector(ctx.stack.endpoints, *ctx.connector);
    }
    const std::string wait_for = ctx.option(step, "wait", "streaming");
    if (wait_for != "streaming") {
      ctx.events_may_follow_fence = "the connector registered at line " +
                                    std::to_string(step.line) + " with wait=" + wait_for +
                                    " may still be snapshotting";
    }
    if (wait_for == "streaming") {
      wait_until_streaming(ctx.stack.endpoints, *ctx.connector);
    } else if (wait_for == "running") {
      ConnectorHandle(ctx.stack.endpoints.connect_url, ctx.connector->name)
          .wait_for(ConnectorState::Running);
    } else if (wait_for != "none") {
      ctx.fail(step, "wait=" + wait_for + " is not a state: use streaming, running or none");
    }
  } catch (const ScenarioError&) {
    throw;
  } catch (const HarnessError& e) {
    ctx.fail(step, std::string("the connector did not start: ") + e.what());
  }
  if (!ctx.fence_topic)
    ctx.fence_topic = std::make_unique<TopicObserver>(ctx.stack.endpoints.kafka_bootstrap,
                                                      ctx.connector->change_topic(ctx.fence_table));
}

// connector register [wait=streaming|running|none] / restart / restart-task / pause /
// resume / stop / delete / wait
void run_connector(ScenarioContext& ctx, size_t, const ScenarioStep& step) {
  const std::string action = step.action();
  if (action == "register") return register_connector_step(ctx, step);
  ctx.no_body(step);
  if (!ctx.connector)
    ctx.fail(step, "no connector yet: add a `connector register` step before this");
  ConnectorHandle handle(ctx.stack.endpoints.connect_url, ctx.connector->name);
  if (action == "restart") return handle.restart();
  if (action == "restart-task") return handle.restart_task(0);
  if (action == "pause") return handle.pause();
  if (action == "resume") return handle.resume();
  if (action == "stop") return handle.stop();
  if (action == "wait") {
    wait_until_streaming(ctx.stack.endpoints, *ctx.connector);
    if (ctx.events_may_follow_fence.find("registered") != std::string::npos)
      ctx.events_may_follow_fence.clear();
    return;
  }
  if (action == "wait-committed") return handle.wait_until_snapshot_committed();
  if (action == "wait-next-commit") return handle.wait_for_next_offset_commit();
  if (action == "delete") {
    remove_connector(ctx.stack.endpoints, ctx.connector->name, ctx.connector->slot_name());
    ctx.connector.reset();
    return;
  }
  ctx.fail(step, "`connector " + action +
                     "` is not an action: use register, restart, restart-task, pause, resume, "
                     "stop, wait, wait-committed, wait-next-commit or delete");
}

}  // namespace

StepHandler connector_step() {
  static const StepForm bare{};
  std::map<std::string, StepForm> forms;
  forms["register"] = {{{"wait", {"streaming", "running", "none"}}},
                       {},
                       StepForm::Body::Optional,
                       StepForm::BodyKind::Json};
  for (const char* action : {"restart", "restart-task", "pause", "resume", "stop", "wait",
                             "wait-committed", "wait-next-commit", "delete"})
    forms[action] = bare;
  return {{"connector",
           {"connector register [wait=streaming|running|none]",
            "connector restart|restart-task|pause|resume|stop|wait|wait-committed|wait-next-commit|"
            "delete"},
           "a connector of the file's own (the body: JSON settings over the base), then its "
           "lifecycle; each action waits for the state it leads to",
           forms},
          run_connector};
}

}  // namespace cdc
