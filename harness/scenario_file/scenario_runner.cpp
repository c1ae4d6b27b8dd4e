#include "harness/scenario_file/scenario_runner.hpp"

#include <algorithm>
#include <chrono>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <pqxx/pqxx>
#include <random>
#include <regex>

#include "harness/common/files.hpp"
#include "harness/common/interrupt.hpp"
#include "harness/common/sql_names.hpp"
#include "harness/common/timeouts.hpp"
#include "harness/common/wait.hpp"
#include "harness/connector/capture_check.hpp"
#include "harness/connector/connector_handle.hpp"
#include "harness/connector/connector_lifecycle.hpp"
#include "harness/connector/signals.hpp"
#include "harness/connector/task_metrics.hpp"
#include "harness/faults/fault_catalogue.hpp"
#include "harness/observer/topic_observer.hpp"
#include "harness/observer/topic_reader.hpp"
#include "harness/scenario_file/expectations.hpp"
#include "harness/scenario_file/scenario_check.hpp"
#include "harness/scenario_file/scenario_text.hpp"
#include "harness/stack/kafka_admin.hpp"

namespace cdc {
using nlohmann::json;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

// Fences are rows of a table of the file's own that its connector captures beside the
// file's tables (a logical decoding message would do without one, but every connector on the
// database emits messages, the user's own too).
constexpr const char* kFenceTable = "cdc_harness_fence_";

// Lower-case letters, digits and '_': valid in table, slot and topic names alike.
std::string name_part(const std::string& text) {
  std::string out;
  for (const char c : text) {
    out += std::isalnum(static_cast<unsigned char>(c))
               ? static_cast<char>(std::tolower(static_cast<unsigned char>(c)))
               : '_';
  }
  return out;
}

std::string run_token(const fs::path& file, const std::string& run_id) {
  static std::random_device random;
  std::string token = name_part(file.stem().string()) + "_" + name_part(run_id);
  for (int i = 0; i < 4; ++i) token += "abcdefghijklmnopqrstuvwxyz0123456789"[random() % 36];
  return token;
}

std::chrono::milliseconds duration_option(const std::string& text) {
  static const std::regex form(R"((\d+)(ms|s|m))");
  std::smatch m;
  if (!std::regex_match(text, m, form)) {
    throw std::invalid_argument("`" + text + "` is not a duration: write 500ms, 30s or 2m");
  }
  const long n = std::stol(m[1]);
  return m[2] == "ms"  ? std::chrono::milliseconds(n)
         : m[2] == "s" ? std::chrono::milliseconds(n * 1000)
                       : std::chrono::milliseconds(n * 60000);
}

std::string first_line(const std::string& text) {
  const auto end = text.find('\n');
  return end == std::string::npos ? text : text.substr(0, end);
}

// A topic read from its start; what each step has consumed of it.
struct EventTopic {
  std::unique_ptr<TopicObserver> observer;
  size_t cursor = 0;
};
struct RecordTopic {
  std::unique_ptr<TopicReader> reader;
  std::vector<RawRecord> records;
  size_t cursor = 0;
};

json parsed_or_string(const std::string& bytes) {
  if (bytes.empty()) return json();
  try {
    return json::parse(bytes);
  } catch (const json::parse_error&) {
    return bytes;
  }
}

// The variables every file has (connector_variables() come with `connector register`) and
// the faults of the catalogue.
ScenarioVocabulary vocabulary(bool recording) {
  return {{"run", "app_user", "debezium_user", "database", "kafka_bootstrap"},
          fault_names(),
          recording};
}

class ScenarioRun {
 public:
  ScenarioRun(const ScenarioText& text, ScenarioStack& stack, bool record, const Progress& progress)
      : text_(text), stack_(stack), record_(record), progress_(progress) {
    vars_["run"] = run_token(text.path, stack.run_id);
    vars_["app_user"] = stack.endpoints.app.user;
    vars_["debezium_user"] = stack.endpoints.debezium.user;
    vars_["database"] = stack.endpoints.app.dbname;
    vars_["kafka_bootstrap"] = stack.endpoints.kafka_bootstrap;
  }

  ~ScenarioRun() { undo(); }

  void run(size_t index) {
    const ScenarioStep& step = text_.steps[index];
    throw_if_interrupted();
    progress_.stage("scenario", text_.path.filename().string() + ":" + std::to_string(step.line) +
                                    "  " + expand(step.header, step));
    const std::string d = step.directive();
    if (d == "set") return set_variable(step);
    if (d == "sql") return sql(step);
    if (d == "cleanup") return cleanups_.push_back(index);
    if (d == "connector") return connector(step);
    if (d == "fault") return fault(step);
    if (d == "signal") return signal(step);
    if (d == "wait") return wait(step);
    if (d == "expect") return expect(index, step);
    fail(step, "`" + d +
                   "` is not a step: use set, sql, cleanup, connector, fault, signal, wait or "
                   "expect (README \"Scenario files\")");
  }

  std::map<size_t, std::vector<std::string>> recorded;

 private:
  [[noreturn]] void fail(const ScenarioStep& step, const std::string& what) const {
    throw ScenarioError(text_.at(step.line, what));
  }

  // ${name} replaced by the variable's value; an unknown name is the file's mistake.
  std::string expand(const std::string& text, const ScenarioStep& step) const {
    // $${name} stays ${name}: for settings Debezium expands itself (${routedByValue}).
    static const std::regex reference(R"(\$(\$?)\{([A-Za-z_][A-Za-z0-9_]*)\})");
    std::string out;
    auto from = text.cbegin();
    for (std::sregex_iterator it(text.begin(), text.end(), reference), end; it != end; ++it) {
      out.append(from, (*it)[0].first);
      from = (*it)[0].second;
      const std::string name = (*it)[2];
      if ((*it)[1].length() > 0) {
        out += "${" + name + "}";
        continue;
      }
      const auto found = vars_.find(name);
      if (found == vars_.end()) {
        std::string known;
        for (const auto& [var, value] : vars_) known += (known.empty() ? "" : ", ") + var;
        fail(step, "unknown variable ${" + name + "}: set it with `set " + name +
                       " = …` first, or write $${" + name + "} for a literal (known: " + known +
                       ")");
      }
      out += found->second;
    }
    out.append(from, text.cend());
    return out;
  }

  std::string option(const ScenarioStep& step, const std::string& key,
                     const std::string& fallback = "") const {
    const auto value = step.option(key);
    return value ? expand(*value, step) : fallback;
  }

  std::chrono::milliseconds timeout_of(const ScenarioStep& step,
                                       std::chrono::milliseconds base) const {
    const auto given = step.option("timeout");
    if (!given) return scaled(base);
    try {
      return scaled(duration_option(*given));
    } catch (const std::invalid_argument& e) {
      fail(step, e.what());
    }
  }

  void no_body(const ScenarioStep& step) const {
    if (!step.body.empty()) {
      fail(step, "`" + step.directive() + " " + step.action() +
                     "` takes no body: end the step with a blank line (line " +
                     std::to_string(step.body_line_numbers.front()) + " belongs to it)");
    }
  }

  // set NAME = VALUE
  void set_variable(const ScenarioStep& step) {
    static const std::regex form(R"(^set\s+([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$)");
    std::smatch m;
    if (!std::regex_match(step.header, m, form)) {
      fail(step, "write `set NAME = VALUE` (letters, digits and _ in NAME)");
    }
    no_body(step);
    vars_[m[1]] = expand(m[2], step);
  }

  pqxx::connection& session(const std::string& name) {
    auto& conn = sessions_[name];
    if (!conn) conn = std::make_unique<pqxx::connection>(stack_.endpoints.app.conninfo());
    return *conn;
  }

  // sql [session=NAME] [error=REGEX]: the body as one batch on the session's connection, as
  // written (BEGIN in one step and COMMIT in a later one keep a transaction open between).
  void sql(const ScenarioStep& step) {
    if (step.body.empty()) fail(step, "`sql` needs statements in its body, on the next lines");
    const std::string statements = expand(step.body_text(), step);
    const auto want_error = step.option("error");
    try {
      pqxx::nontransaction tx(session(option(step, "session", "main")));
      tx.exec(statements);
    } catch (const pqxx::sql_error& e) {
      const std::string message = first_line(e.what());
      if (want_error && std::regex_search(message, std::regex(expand(*want_error, step)))) return;
      fail(step, "SQL failed: " + message +
                     (want_error ? " (error= expected a match for " + *want_error + ")" : ""));
    } catch (const pqxx::broken_connection& e) {
      fail(step, "lost the database connection: " + first_line(e.what()));
    }
    if (want_error)
      fail(step, "the SQL succeeded, but error=" + *want_error + " expected it to fail");
  }

  // connector register [wait=streaming|running|none] / restart / restart-task / pause /
  // resume / stop / delete / wait
  void connector(const ScenarioStep& step) {
    const std::string action = step.action();
    if (action == "register") return register_connector_step(step);
    no_body(step);
    if (!connector_) fail(step, "no connector yet: add a `connector register` step before this");
    ConnectorHandle handle(stack_.endpoints.connect_url, connector_->name);
    if (action == "restart") return handle.restart();
    if (action == "restart-task") return handle.restart_task(0);
    if (action == "pause") return handle.pause();
    if (action == "resume") return handle.resume();
    if (action == "stop") return handle.stop();
    if (action == "wait") {
      wait_until_streaming(stack_.endpoints, *connector_);
      if (events_may_follow_fence_.find("registered") != std::string::npos)
        events_may_follow_fence_.clear();
      return;
    }
    if (action == "wait-committed") return handle.wait_until_snapshot_committed();
    if (action == "delete") {
      remove_connector(stack_.endpoints, connector_->name, connector_->slot_name());
      connector_.reset();
      return;
    }
    fail(step, "`connector " + action +
                   "` is not an action: use register, restart, restart-task, pause, resume, "
                   "stop, wait, wait-committed or delete");
  }

  void register_connector_step(const ScenarioStep& step) {
    const bool update = connector_.has_value();
    if (!connector_) {
      connector_ = isolated_copy(stack_.base_connector, vars_["run"]);
      vars_["connector"] = connector_->name;
      vars_["slot"] = connector_->slot_name();
      vars_["topic_prefix"] = connector_->topic_prefix();
    }
    const std::string body = expand(step.body_text(), step);
    if (body.find_first_not_of(" \t\n") != std::string::npos) {
      json settings;
      try {
        settings = json::parse(body);
      } catch (const json::parse_error& e) {
        fail(step, std::string("the body is not a JSON object of settings: ") + e.what());
      }
      if (!settings.is_object()) fail(step, "the body must be a JSON object of settings");
      for (const auto& [key, value] : settings.items()) {
        if (value.is_null()) {
          connector_->config.erase(key);
        } else {
          connector_->config[key] = value.is_string() ? value.get<std::string>() : value.dump();
        }
      }
      vars_["topic_prefix"] = connector_->topic_prefix();
    }
    add_fence_table(step);
    for (const auto& warning :
         capture_warnings(*connector_, read_capture_facts(stack_.endpoints.app, *connector_))) {
      std::cerr << text_.at(step.line, "warning: " + warning) << "\n";
    }
    try {
      // Debezium's Kafka signal consumer, started on a topic not there yet, can miss the
      // first signal written to it (seen on a fresh cluster): the topic exists beforehand.
      const std::string signal_topic = connector_->setting("signal.kafka.topic", "");
      // Its consumer group too is the file's own (Debezium's default, kafka-signal, is shared).
      if (!signal_topic.empty() && connector_->setting("signal.kafka.groupId", "").empty()) {
        signal_group_ = connector_->name + "-signals";
        connector_->config["signal.kafka.groupId"] = signal_group_;
      }
      if (!signal_topic.empty()) {
        create_kafka_topic(stack_.endpoints.kafka_bootstrap, signal_topic, 1, scaled(30s));
      }
      if (update) {
        // Connect applies a new config to running tasks in its own time (a step right after
        // the PUT met the old task, and so did a restart asked for at once): stopped first
        // (offsets committed), the config put, then resumed, the tasks start on the new config.
        ConnectorHandle handle(stack_.endpoints.connect_url, connector_->name);
        handle.stop();
        register_connector(stack_.endpoints, *connector_);
        // 409 while Connect still takes in the config: asked again until it resumes.
        wait_for("Connect to resume " + connector_->name + " on its new settings", scaled(30s),
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
        register_connector(stack_.endpoints, *connector_);
      }
      const std::string wait_for = option(step, "wait", "streaming");
      if (wait_for != "streaming") {
        events_may_follow_fence_ = "the connector registered at line " + std::to_string(step.line) +
                                   " with wait=" + wait_for + " may still be snapshotting";
      }
      if (wait_for == "streaming") {
        wait_until_streaming(stack_.endpoints, *connector_);
      } else if (wait_for == "running") {
        ConnectorHandle(stack_.endpoints.connect_url, connector_->name)
            .wait_for(ConnectorState::Running);
      } else if (wait_for != "none") {
        fail(step, "wait=" + wait_for + " is not a state: use streaming, running or none");
      }
    } catch (const ScenarioError&) {
      throw;
    } catch (const HarnessError& e) {
      fail(step, std::string("the connector did not start: ") + e.what());
    }
    if (!fence_topic_)
      fence_topic_ = std::make_unique<TopicObserver>(stack_.endpoints.kafka_bootstrap,
                                                     connector_->change_topic(fence_table_));
  }

  // The fence table: created once, added to the include list (when there is one) and to the
  // publication (when it names tables), so the connector streams its rows in commit order
  // with the file's changes.
  void add_fence_table(const ScenarioStep& step) {
    const std::string publication = connector_->setting("publication.name", "dbz_publication");
    try {
      pqxx::connection conn(stack_.endpoints.app.conninfo());
      pqxx::nontransaction tx(conn);
      if (fence_table_.empty()) {
        // Postgres cuts names at 63 bytes: a long file name gives way to the run id and the
        // random tail. The names Postgres derives (<table>_id_seq, <table>_pkey) must fit
        // too, or it cuts them from the end, and two runs of one file at once collide.
        const std::string& run = vars_["run"];
        constexpr size_t kMaxName = 63 - std::char_traits<char>::length("_id_seq");
        const size_t room = kMaxName - std::string(kFenceTable).size();
        fence_table_ = "public." + std::string(kFenceTable) +
                       (run.size() > room ? run.substr(run.size() - room) : run);
        tx.exec("CREATE TABLE IF NOT EXISTS " + fence_table_ +
                " (id bigserial PRIMARY KEY); GRANT SELECT ON " + fence_table_ + " TO " +
                tx.quote_name(stack_.endpoints.debezium.user));
      }
      std::string list = connector_->setting("table.include.list", "");
      const std::string entry = "," + fence_table_;
      if (const auto at = list.find(entry); at != std::string::npos) list.erase(at, entry.size());
      include_list_ = list;
      if (!list.empty()) connector_->config["table.include.list"] = list + entry;
      const auto listed = tx.exec_params(
          "SELECT puballtables, EXISTS (SELECT 1 FROM pg_publication_tables t WHERE t.pubname = "
          "p.pubname AND t.schemaname || '.' || t.tablename = $2) FROM pg_publication p WHERE "
          "pubname = $1",
          publication, fence_table_);
      if (!listed.empty() && !listed[0][0].as<bool>() && !listed[0][1].as<bool>()) {
        tx.exec("ALTER PUBLICATION " + tx.quote_name(publication) + " ADD TABLE " + fence_table_);
      }
    } catch (const pqxx::sql_error& e) {
      fail(step, "cannot add the harness's fence table " + fence_table_ + " to publication " +
                     publication + " (" + first_line(e.what()) +
                     "): expectations need it; create the publication as the app role " +
                     stack_.endpoints.app.user + ", or FOR ALL TABLES");
    }
  }

  // fault NAME (injected and healed), fault start NAME, fault heal NAME
  void fault(const ScenarioStep& step) {
    no_body(step);
    if (!connector_) fail(step, "faults act on the file's connector: register it first");
    const bool start = step.action() == "start", heal = step.action() == "heal";
    const std::string name = (start || heal) && step.words.size() > 2 ? step.words[2]
                             : (start || heal)                        ? ""
                                                                      : step.action();
    if (name.empty()) fail(step, "name the fault: fault start connect-crash");
    if (heal) {
      const auto it = faults_.find(name);
      if (it == faults_.end()) fail(step, "fault " + name + " was not started: `fault start` it");
      Fault f = std::move(it->second);
      faults_.erase(it);
      f.heal();
      return;
    }
    try {
      Fault f = make_fault(name, FaultTarget{stack_.backend, stack_.endpoints, *connector_});
      f.start();
      if (start) {
        faults_.emplace(name, std::move(f));
      } else {
        f.heal();
      }
    } catch (const HarnessError& e) {
      fail(step, e.what());
    }
  }

  // signal TYPE [channel=source|kafka] [id=…], the body the signal's data (JSON)
  void signal(const ScenarioStep& step) {
    if (!connector_) fail(step, "signals go to the file's connector: register it first");
    Signal s;
    s.type = step.action();
    if (s.type.empty()) fail(step, "name the signal: signal execute-snapshot");
    s.id = option(step, "id", "signal-" + vars_["run"] + "-" + std::to_string(step.line));
    const std::string body = expand(step.body_text(), step);
    if (body.find_first_not_of(" \t\n") != std::string::npos) {
      try {
        s.data = json::parse(body);
      } catch (const json::parse_error& e) {
        fail(step, std::string("the signal's data is not JSON: ") + e.what());
      }
    }
    if (s.type.find("snapshot") != std::string::npos) {
      // An incremental snapshot's chunks are read beside the stream: they can come after a
      // fence written meanwhile.
      events_may_follow_fence_ = "the snapshot signalled at line " + std::to_string(step.line) +
                                 " may still be reading (`wait notification type=COMPLETED` "
                                 "after it lets expectations be judged at the fence)";
    }
    const std::string channel = option(step, "channel", "source");
    if (channel == "source") {
      const std::string table = connector_->setting("signal.data.collection", "");
      if (table.empty()) {
        fail(step,
             "the connector has no signal table: set signal.data.collection in its "
             "config (and create the table: id, type, data)");
      }
      try {
        send_signal_by_table(stack_.endpoints.app, table, s);
      } catch (const pqxx::sql_error& e) {
        fail(step, "cannot write the signal to " + table + ": " + first_line(e.what()));
      }
    } else if (channel == "kafka") {
      const std::string topic = connector_->setting("signal.kafka.topic", "");
      if (topic.empty()) {
        fail(step,
             "the connector reads no Kafka signals: set signal.enabled.channels to "
             "include kafka, and signal.kafka.topic and signal.kafka.bootstrap.servers");
      }
      send_signal_by_kafka(stack_.endpoints.kafka_bootstrap, topic, connector_->topic_prefix(), s,
                           scaled(10s));
    } else {
      fail(step, "channel=" + channel + " is not a signal channel: use source or kafka");
    }
  }

  // wait notification [type=COMPLETED] [aggregate=…] [timeout=…]: a notification Debezium
  // sends on its sink channel (notification.sink.topic.name), after those already waited for.
  void wait(const ScenarioStep& step) {
    no_body(step);
    if (step.action() != "notification") {
      fail(step, "`wait " + step.action() +
                     "` waits for nothing the harness knows: use `wait notification`");
    }
    if (!connector_) fail(step, "notifications come from the file's connector: register it");
    const std::string topic = connector_->setting("notification.sink.topic.name", "");
    if (topic.empty()) {
      fail(step,
           "the connector sends no notifications to Kafka: set "
           "notification.enabled.channels=sink and notification.sink.topic.name");
    }
    const std::string type = option(step, "type"), aggregate = option(step, "aggregate");
    RecordTopic& notes = record_topic(topic);
    const auto deadline = std::chrono::steady_clock::now() + timeout_of(step, 60s);
    for (;;) {
      throw_if_interrupted();
      for (; notes.cursor < notes.records.size(); ++notes.cursor) {
        const json note =
            observed_record({}, parsed_or_string(notes.records[notes.cursor].value.value_or("")),
                            {}, {})
                .view["value"];
        if (!note.is_object()) continue;
        if ((type.empty() || note.value("type", "") == type) &&
            (aggregate.empty() || note.value("aggregate_type", "") == aggregate)) {
          ++notes.cursor;
          if (note.value("type", "") == "COMPLETED") events_may_follow_fence_.clear();
          return;
        }
      }
      if (std::chrono::steady_clock::now() >= deadline) {
        std::string seen;
        for (const auto& r : notes.records) seen += "\n  " + r.value.value_or("(null)");
        fail(step, "no notification" + (type.empty() ? "" : " of type " + type) +
                       (aggregate.empty() ? "" : " for " + aggregate) + " arrived on " + topic +
                       (seen.empty() ? " (none at all)" : "; seen:" + seen));
      }
      if (auto r = notes.reader->poll(100ms)) notes.records.push_back(std::move(*r));
    }
  }

  RecordTopic& record_topic(const std::string& topic) {
    auto& t = record_topics_[topic];
    if (!t.reader)
      t.reader = std::make_unique<TopicReader>(stack_.endpoints.kafka_bootstrap, topic);
    return t;
  }

  EventTopic& event_topic(const std::string& topic) {
    auto& t = event_topics_[topic];
    if (!t.observer) {
      t.observer = std::make_unique<TopicObserver>(stack_.endpoints.kafka_bootstrap, topic);
    }
    return t;
  }

  // The topic a step names (topic=, or table= under the connector's prefix), else the one
  // table the connector includes.
  std::string topic_of(const ScenarioStep& step) const {
    if (const auto topic = step.option("topic")) return expand(*topic, step);
    if (!connector_) fail(step, "no connector yet: add a `connector register` step before this");
    if (step.option("table")) return connector_->change_topic(table_of(step).dotted());
    const std::string& table = include_list_;  // Debezium's form: schema.table, as stored
    if (table.empty() || table.find_first_of(",*|[(") != std::string::npos) {
      fail(step,
           "name the table (table=schema.table) or the topic (topic=…): the "
           "connector's table.include.list is not one table");
    }
    return connector_->change_topic(table);
  }

  // table=, as SQL reads it: public."Orders" keeps its case, Public.Orders is public.orders.
  TableName table_of(const ScenarioStep& step) const {
    const std::string text = option(step, "table");
    if (text.empty()) fail(step, "name the table: table=schema.table");
    try {
      return parse_table_name(text);
    } catch (const std::invalid_argument& e) {
      fail(step, std::string("table=") + e.what());
    }
  }

  // Everything committed before now has reached `topics`. A fence row goes through the
  // connector (Debezium emits in commit order, and Connect polls and sends in that order), so
  // once it has arrived every record before it has been polled and handed to Connect's
  // producer. Its arrival alone does not show they were written: the producer sends one batch
  // per partition per request, so records of other partitions can still be queued behind it
  // (seen with an incremental snapshot's reads). What shows it is either Connect's task
  // metrics, polled total = written total with nothing polled in between (Kafka has
  // acknowledged every batch polled), or Connect's committed offset past the fence (Connect
  // commits only a prefix of acknowledged records, but only every offset.flush.interval.ms,
  // 60 s by default). Then reading each topic to its end as it stands reads them all.
  void settle(const ScenarioStep& step, const std::vector<std::string>& topics) {
    if (!connector_ || !fence_topic_) fail(step, "no connector yet: register one first");
    try {
      pqxx::connection conn(stack_.endpoints.app.conninfo());
      pqxx::nontransaction tx(conn);
      const int64_t before =
          tx.exec("SELECT (pg_current_wal_lsn() - '0/0')::bigint")[0][0].as<int64_t>();
      const json fence = {
          {"id", tx.exec("INSERT INTO " + fence_table_ + " DEFAULT VALUES RETURNING id")[0][0]
                     .as<int64_t>()}};
      fence_topic_->collect_until("fence row " + fence.dump() + " of " + fence_table_ +
                                      " through the connector (is it running?)",
                                  scaled(60s), [&](const std::vector<ChangeEvent>& events) {
                                    return std::any_of(
                                        events.begin(), events.end(),
                                        [&](const ChangeEvent& e) { return e.key == fence; });
                                  });
      wait_until_written_before_fence(before);
      for (const auto& topic : topics) {
        const int64_t end = kafka_topic_end(stack_.endpoints.kafka_bootstrap, topic, scaled(10s));
        if (auto it = record_topics_.find(topic); it != record_topics_.end()) {
          const auto deadline = std::chrono::steady_clock::now() + scaled(30s);
          while (static_cast<int64_t>(it->second.records.size()) < end &&
                 std::chrono::steady_clock::now() < deadline) {
            if (auto r = it->second.reader->poll(100ms)) it->second.records.push_back(*r);
          }
          if (static_cast<int64_t>(it->second.records.size()) < end) {
            fail(step, "timed out reading " + topic +
                           " up to the fence: " + std::to_string(it->second.records.size()) +
                           " of " + std::to_string(end) +
                           " records read (kafka: " + it->second.reader->last_trouble() + ")");
          }
        } else {
          event_topic(topic).observer->collect_until(
              "the records on " + topic + " up to the fence", scaled(30s),
              [&](const std::vector<ChangeEvent>& events) {
                return static_cast<int64_t>(events.size()) >= end;
              });
        }
      }
    } catch (const ScenarioError&) {
      throw;
    } catch (const HarnessError& e) {
      fail(step, e.what());
    }
  }

  // Waits until Kafka has acknowledged every record Connect polled before the fence (which
  // has arrived): the task metrics where the workers have them, else the committed offset.
  void wait_until_written_before_fence(int64_t fence_lsn) {
    const auto& metrics = stack_.endpoints.connect_metrics_urls;
    ConnectorHandle handle(stack_.endpoints.connect_url, connector_->name);
    wait_for(
        "Kafka to acknowledge every record " + connector_->name + " polled before the fence (" +
            (metrics.empty() ? "no task metrics on this stack: Connect's committed offset past "
                               "LSN " +
                                   std::to_string(fence_lsn) + ", paced by offset.flush.interval.ms"
                             : "Connect's task metrics, or its committed offset") +
            ")",
        scaled(90s),
        [&]() -> Probe<bool> {
          std::string seen;
          if (!metrics.empty()) {
            try {
              const SourceTaskMetrics first = scrape_source_task_metrics(metrics, connector_->name);
              const SourceTaskMetrics second =
                  scrape_source_task_metrics(metrics, connector_->name);
              if (all_polled_acknowledged(first, second)) return Probe<bool>::ready(true);
              seen = "task metrics: " + describe(second) + "; ";
            } catch (const HarnessError& e) {  // a worker restarting in a fault step
              seen = std::string(e.what()) + "; ";
            }
          }
          const json offsets = handle.offsets().value("offsets", json::array());
          for (const auto& o : offsets) {
            const json offset = o.value("offset", json::object());
            // "lsn": the committed record's own position (lsn_proc trails it until a
            // transaction completes; a fence's transaction ends in no record).
            const json lsn = offset.value("lsn", json());
            if (lsn.is_number() && lsn.get<int64_t>() >= fence_lsn) return Probe<bool>::ready(true);
          }
          return Probe<bool>::not_yet(seen + "committed offsets: " + offsets.dump());
        },
        100ms);
  }

  ExpectRules rules_of(const ScenarioStep& step) const {
    ExpectRules rules;
    const std::string match = option(step, "match", "exact");
    if (match == "subset") {
      rules.match = MatchMode::Subset;
    } else if (match != "exact") {
      fail(step, "match=" + match + " is not a match mode: use exact or subset");
    }
    const std::string order = option(step, "order", "per-key");
    if (order == "unordered") {
      rules.order = OrderMode::Unordered;
    } else if (order == "total") {
      rules.order = OrderMode::Total;
    } else if (order != "per-key") {
      fail(step, "order=" + order + " is not an order mode: use per-key, unordered or total");
    }
    rules.allow_duplicates = step.has_flag("allow-duplicates");
    std::string ignore = option(step, "ignore");
    for (size_t at = 0; !ignore.empty() && at != std::string::npos;) {
      const auto comma = ignore.find(',', at);
      rules.ignore.push_back(ignore.substr(at, comma == std::string::npos ? comma : comma - at));
      at = comma == std::string::npos ? comma : comma + 1;
    }
    return rules;
  }

  // What arrived on the topic since the previous step, as expectations see it.
  std::vector<Observed> arrived(const std::string& topic, bool records) {
    std::vector<Observed> out;
    if (records) {
      auto& t = record_topic(topic);
      for (size_t i = t.cursor; i < t.records.size(); ++i) {
        const RawRecord& r = t.records[i];
        json headers = json::object();
        for (const auto& [name, value] : r.headers) headers[name] = parsed_or_string(value);
        out.push_back(observed_record(parsed_or_string(r.key),
                                      r.value ? parsed_or_string(*r.value) : json(), headers,
                                      r.position));
      }
    } else {
      auto& t = event_topic(topic);
      const auto& events = t.observer->events();
      for (size_t i = t.cursor; i < events.size(); ++i) out.push_back(observed_event(events[i]));
    }
    return out;
  }

  void take(const std::string& topic, bool records) {
    if (records) {
      auto& t = record_topic(topic);
      t.cursor = t.records.size();
    } else {
      auto& t = event_topic(topic);
      t.cursor = t.observer->events().size();
    }
  }

  void receive_some(const std::string& topic, bool records) {
    if (records) {
      auto& t = record_topic(topic);
      if (auto r = t.reader->poll(100ms)) t.records.push_back(std::move(*r));
    } else {
      event_topic(topic).observer->receive(100ms);
    }
  }

  void expect(size_t index, const ScenarioStep& step) {
    const std::string what = step.action();
    if (what == "final-state") return expect_final_state(step);
    const bool records = what == "records";
    if (what != "events" && what != "records" && what != "no-events") {
      fail(step, "`expect " + what +
                     "` is not an expectation: use events, records, no-events or final-state");
    }
    const std::string topic = topic_of(step);
    const ExpectRules rules = rules_of(step);
    std::vector<Expected> expected;
    if (what == "no-events") {
      no_body(step);
    } else {
      for (size_t i = 0; i < step.body.size(); ++i) {
        const std::string line = expand(step.body[i], step);
        try {
          expected.push_back(records ? parse_record_line(line, step.body_line_numbers[i])
                                     : parse_event_line(line, step.body_line_numbers[i]));
        } catch (const std::invalid_argument& e) {
          throw ScenarioError(text_.at(step.body_line_numbers[i], e.what()));
        }
      }
    }
    // Up to a fence: everything committed before this step has arrived then, so what is
    // missing will not come, and the expectation is judged at once. Only where events may
    // still come after the fence (a snapshot reading beside the stream) is it given until its
    // timeout, the fence set again once everything expected is there.
    const auto deadline = std::chrono::steady_clock::now() + timeout_of(step, 30s);
    if (records) record_topic(topic);  // read as records, not envelopes, up to the fence
    if (!expected.empty() && !record_ && !events_may_follow_fence_.empty()) {
      while (std::chrono::steady_clock::now() < deadline &&
             !match_expected(expected, arrived(topic, records), rules).satisfied()) {
        throw_if_interrupted();
        receive_some(topic, records);
      }
    }
    settle(step, {topic});
    const auto observed = arrived(topic, records);
    take(topic, records);
    if (record_ && what != "no-events") {
      std::vector<std::string> lines;
      for (const auto& o : observed) lines.push_back(records ? record_line(o) : event_line(o));
      recorded[index] = lines;
      return;
    }
    const ExpectOutcome outcome = match_expected(expected, observed, rules);
    if (outcome.ok()) return;
    fail(step, "expect " + what + " on " + topic + ": " + std::to_string(outcome.missing.size()) +
                   " of " + std::to_string(expected.size()) + " expected not observed, " +
                   std::to_string(outcome.unexpected.size()) + " observed not expected (" +
                   anomaly_summary(classify(outcome, expected, observed, rules)) + "; " +
                   (events_may_follow_fence_.empty()
                        ? "judged at the fence: everything committed before it had arrived"
                        : "waited until the timeout: " + events_may_follow_fence_) +
                   ")\n" + explain(outcome, expected, observed, rules, text_.path.string()));
  }

  // expect final-state table=schema.table [ignore=…]: the last image of each key over every
  // event since the topic began (snapshot reads included) equals the table as SELECT sees it.
  void expect_final_state(const ScenarioStep& step) {
    no_body(step);
    if (!step.option("table")) fail(step, "name the table: expect final-state table=schema.table");
    const TableName name = table_of(step);
    const std::string table = name.sql();
    const std::string topic = topic_of(step);
    const ExpectRules rules = rules_of(step);
    settle(step, {topic});
    std::map<std::string, json> state;
    for (const auto& e : event_topic(topic).observer->events()) {
      if (e.op == Op::Delete || e.op == Op::Tombstone) {
        state.erase(e.key.dump());
      } else if (e.op == Op::Truncate) {
        state.clear();
      } else if (e.after) {
        state[e.key.dump()] = *e.after;
      }
    }
    take(topic, false);
    std::map<std::string, json> rows;
    try {
      pqxx::connection conn(stack_.endpoints.app.conninfo());
      pqxx::read_transaction tx(conn);
      std::vector<std::string> key_columns;
      for (const auto& row : tx.exec_params(
               "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
               "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = $1::regclass AND i.indisprimary "
               "ORDER BY array_position(i.indkey, a.attnum)",
               table)) {
        key_columns.push_back(row[0].c_str());
      }
      if (key_columns.empty()) fail(step, table + " has no primary key to compare rows by");
      // Each row typed (row_to_json) and as text (what Debezium's string modes send for
      // numeric, decimals and the like): a column is held to the text where events carry text.
      for (const auto& row :
           tx.exec("SELECT row_to_json(t), (SELECT json_object_agg(key, value) FROM "
                   "json_each_text(row_to_json(t))) FROM " +
                   table + " t")) {
        json image = json::parse(row[0].c_str());
        const json texts = json::parse(row[1].c_str());
        json key = json::object();
        for (const auto& c : key_columns) key[c] = image.value(c, json());
        if (const auto seen = state.find(key.dump()); seen != state.end()) {
          for (auto& [column, value] : image.items()) {
            const auto observed = seen->second.find(column);
            if (observed != seen->second.end() && observed->is_string() && !value.is_string() &&
                !value.is_null() && texts.contains(column)) {
              value = texts[column];
            }
          }
        }
        rows[key.dump()] = image;
      }
    } catch (const pqxx::sql_error& e) {
      fail(step, "cannot read " + table + ": " + first_line(e.what()));
    }
    std::string diff;
    size_t differences = 0;
    const auto note = [&](const std::string& line) {
      if (++differences <= 20) diff += "  " + line + "\n";
    };
    for (const auto& [key, row] : rows) {
      const auto it = state.find(key);
      if (it == state.end()) {
        note("key " + key + ": in the table, not in the events' final state: " + row.dump());
        continue;
      }
      for (const auto& m : json_mismatches(row, it->second, rules.match, rules.ignore))
        note("key " + key + ": " + describe(m) + " (expected: the table; observed: events)");
    }
    for (const auto& [key, image] : state) {
      if (!rows.count(key)) note("key " + key + ": in the events' final state, not in the table");
    }
    if (differences == 0) return;
    fail(step, "expect final-state of " + table + ": " + std::to_string(differences) +
                   " differences between SELECT (" + std::to_string(rows.size()) +
                   " rows) and the events on " + topic + " (" + std::to_string(state.size()) +
                   " keys)\n" + diff + (differences > 20 ? "  …\n" : ""));
  }

  // Heals faults, runs `cleanup` steps, removes the connector and its slot and topics.
  void undo() {
    for (auto& [name, f] : faults_) {
      try {
        f.heal();
      } catch (const std::exception& e) {
        std::cerr << "warning: could not heal fault " << name << ": " << e.what() << "\n";
      }
    }
    faults_.clear();
    for (const size_t index : cleanups_) {
      const ScenarioStep& step = text_.steps[index];
      try {
        pqxx::connection conn(stack_.endpoints.app.conninfo());
        pqxx::nontransaction tx(conn);
        tx.exec(expand(step.body_text(), step));
      } catch (const std::exception& e) {
        std::cerr << text_.at(step.line, std::string("warning: cleanup failed: ") + e.what())
                  << "\n";
      }
    }
    fence_topic_.reset();
    event_topics_.clear();
    record_topics_.clear();
    sessions_.clear();
    if (!connector_) return drop_fence_table();
    try {
      remove_connector(stack_.endpoints, connector_->name, connector_->slot_name());
      drop_fence_table();
      if (!signal_group_.empty()) {
        delete_kafka_consumer_groups(stack_.endpoints.kafka_bootstrap, {signal_group_},
                                     scaled(30s));
      }
      if (stack_.keep_topics) {
        std::cerr << "kept the topics of " << text_.path.string() << ": "
                  << connector_->topic_prefix() << ".*\n";
        return;
      }
      std::vector<std::string> topics;
      const std::string prefix = connector_->topic_prefix() + ".";
      for (const auto& t : kafka_topics(stack_.endpoints.kafka_bootstrap, scaled(10s))) {
        if (t.rfind(prefix, 0) == 0) topics.push_back(t);
      }
      delete_kafka_topics(stack_.endpoints.kafka_bootstrap, topics, scaled(30s));
    } catch (const std::exception& e) {
      std::cerr << "warning: could not remove connector " << connector_->name << ": " << e.what()
                << "\n";
    }
  }

  void drop_fence_table() {
    if (fence_table_.empty()) return;
    try {
      pqxx::connection conn(stack_.endpoints.app.conninfo());
      pqxx::nontransaction tx(conn);
      tx.exec("DROP TABLE IF EXISTS " + fence_table_);
    } catch (const std::exception& e) {
      std::cerr << "warning: could not drop " << fence_table_ << ": " << e.what() << "\n";
    }
  }

  const ScenarioText& text_;
  ScenarioStack& stack_;
  bool record_;
  const Progress& progress_;
  std::map<std::string, std::string> vars_;
  std::map<std::string, std::unique_ptr<pqxx::connection>> sessions_;
  std::optional<ConnectorConfig> connector_;
  std::string fence_table_;   // "public.cdc_harness_fence_<run>"
  std::string include_list_;  // table.include.list as the file has it, the fence table aside
  std::unique_ptr<TopicObserver> fence_topic_;
  std::string signal_group_;  // the Kafka signal consumer group the runner named
  std::map<std::string, EventTopic> event_topics_;
  std::map<std::string, RecordTopic> record_topics_;
  std::map<std::string, Fault> faults_;
  std::vector<size_t> cleanups_;
  // Why events may still arrive after a fence (a snapshot in progress); empty when nothing
  // does, and an expectation is judged at the fence.
  std::string events_may_follow_fence_;
};

}  // namespace

std::vector<std::string> check_scenario_files(const std::vector<fs::path>& files, bool record) {
  std::vector<std::string> errors;
  for (const auto& file : files) {
    try {
      for (auto& e : check_scenario(read_scenario(file), vocabulary(record))) errors.push_back(e);
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
  if (const auto mistakes = check_scenario(text, vocabulary(record)); !mistakes.empty()) {
    for (const auto& m : mistakes) outcome.failure += (outcome.failure.empty() ? "" : "\n") + m;
    return outcome;
  }
  try {
    ScenarioRun run(text, stack, record, progress);
    for (size_t i = 0; i < text.steps.size(); ++i) {
      run.run(i);
      ++outcome.steps;
    }
    recorded = run.recorded;
    outcome.passed = true;
  } catch (const ScenarioError& e) {
    outcome.failure = e.what();
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
