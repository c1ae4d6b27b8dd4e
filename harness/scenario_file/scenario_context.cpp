// A scenario file's run between its steps, and what the steps share.
#include "harness/scenario_file/scenario_context.hpp"
#include "harness/common/text.hpp"

#include <algorithm>
#include <iostream>
#include <pqxx/pqxx>
#include <random>
#include <regex>

#include "harness/common/interrupt.hpp"
#include "harness/common/timeouts.hpp"
#include "harness/common/wait.hpp"
#include "harness/connector/connector_handle.hpp"
#include "harness/connector/connector_lifecycle.hpp"
#include "harness/connector/task_metrics.hpp"
#include "harness/stack/kafka_admin.hpp"

namespace cdc {
using nlohmann::json;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

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

}  // namespace

json parsed_or_string(const std::string& bytes) {
  if (bytes.empty()) return json();
  try {
    return json::parse(bytes);
  } catch (const json::parse_error&) {
    return bytes;
  }
}

ScenarioContext::ScenarioContext(const ScenarioText& text_in, ScenarioStack& stack_in,
                                 bool record_in, const Progress& progress_in)
    : text(text_in),
      stack(stack_in),
      record(record_in),
      progress(progress_in),
      sessions_(std::make_unique<Sessions>()) {
  vars["run"] = run_token(text.path, stack.run_id);
  vars["app_user"] = stack.endpoints.app.user;
  vars["debezium_user"] = stack.endpoints.debezium.user;
  vars["database"] = stack.endpoints.app.dbname;
  vars["kafka_bootstrap"] = stack.endpoints.kafka_bootstrap;
}

ScenarioContext::~ScenarioContext() {
  undo();
}

void ScenarioContext::need_connector(const ScenarioStep& step, const std::string& why) const {
  if (!connector) fail(step, why);
}

void ScenarioContext::fail(const ScenarioStep& step, const std::string& what,
                           std::set<std::string> kinds) const {
  throw ScenarioError(text.at(step.line, what), std::move(kinds));
}

// ${name} replaced by the variable's value; an unknown name is the file's mistake.
std::string ScenarioContext::expand(const std::string& line, const ScenarioStep& step) const {
  // $${name} stays ${name}: for settings Debezium expands itself (${routedByValue}).
  static const std::regex reference(R"(\$(\$?)\{([A-Za-z_][A-Za-z0-9_]*)\})");
  std::string out;
  auto from = line.cbegin();
  for (std::sregex_iterator it(line.begin(), line.end(), reference), end; it != end; ++it) {
    out.append(from, (*it)[0].first);
    from = (*it)[0].second;
    const std::string name = (*it)[2];
    if ((*it)[1].length() > 0) {
      out += "${" + name + "}";
      continue;
    }
    const auto found = vars.find(name);
    if (found == vars.end()) {
      std::string known;
      for (const auto& [var, value] : vars) known += (known.empty() ? "" : ", ") + var;
      fail(step, "unknown variable ${" + name + "}: set it with `set " + name +
                     " = …` first, or write $${" + name + "} for a literal (known: " + known + ")");
    }
    out += found->second;
  }
  out.append(from, line.cend());
  return out;
}

std::string ScenarioContext::option(const ScenarioStep& step, const std::string& key,
                                    const std::string& fallback) const {
  const auto value = step.option(key);
  return value ? expand(*value, step) : fallback;
}

std::chrono::milliseconds ScenarioContext::timeout_of(const ScenarioStep& step,
                                                      std::chrono::milliseconds base) const {
  const auto given = step.option("timeout");
  if (!given) return scaled(base);
  try {
    return scaled(duration_option(*given));
  } catch (const std::invalid_argument& e) {
    fail(step, e.what());
  }
}

void ScenarioContext::no_body(const ScenarioStep& step) const {
  if (!step.body.empty()) {
    fail(step, "`" + step.directive() + " " + step.action() +
                   "` takes no body: end the step with a blank line (line " +
                   std::to_string(step.body_line_numbers.front()) + " belongs to it)");
  }
}

struct ScenarioContext::Sessions {
  struct Session {
    std::unique_ptr<pqxx::connection> conn;
    bool in_transaction = false;  // a transaction block left open by its last step
    size_t faults_seen = 0;       // faults started by then
  };
  std::map<std::string, Session> by_name;
};

namespace {

// Whether the connection is inside a transaction block an earlier statement opened: there the
// transaction began before this statement. An aborted block refuses every query: inside too.
bool in_transaction_block(pqxx::connection& conn) {
  try {
    pqxx::nontransaction q(conn);
    return q.exec1("SELECT transaction_timestamp() < statement_timestamp()")[0].as<bool>();
  } catch (const pqxx::sql_error&) {
    return true;
  }
}

bool answers(pqxx::connection& conn) {
  try {
    pqxx::nontransaction q(conn);
    q.exec("SELECT 1");
    return true;
  } catch (const pqxx::broken_connection&) {
    return false;
  }
}

}  // namespace

void ScenarioContext::exec_in_session(const std::string& session, const std::string& statements) {
  auto& s = sessions_->by_name[session];
  // A fault since the session's last step may have taken its connection (a Postgres crash or
  // restart): one that held no transaction connects again, as an application would; with a
  // transaction open, that transaction is gone, and the step says so.
  const size_t faults_now = fault_records.size() + faults.size();
  if (s.conn && faults_now != s.faults_seen && !answers(*s.conn)) {
    if (s.in_transaction)
      throw pqxx::broken_connection("a fault took session " + session +
                                    "'s connection while a transaction was open in it: that "
                                    "transaction is gone (Postgres rolled it back)");
    s.conn.reset();
  }
  s.faults_seen = faults_now;
  if (!s.conn) s.conn = std::make_unique<pqxx::connection>(stack.endpoints.app.conninfo());
  try {
    pqxx::nontransaction tx(*s.conn);
    tx.exec(statements);
  } catch (const pqxx::sql_error&) {
    s.in_transaction = in_transaction_block(*s.conn);
    throw;
  }
  s.in_transaction = in_transaction_block(*s.conn);
}

RecordTopic& ScenarioContext::record_topic(const std::string& topic) {
  auto& t = record_topics_[topic];
  if (!t.reader) t.reader = std::make_unique<TopicReader>(stack.endpoints.kafka_bootstrap, topic);
  return t;
}

EventTopic& ScenarioContext::event_topic(const std::string& topic) {
  auto& t = event_topics_[topic];
  if (!t.observer) {
    t.observer = std::make_unique<TopicObserver>(stack.endpoints.kafka_bootstrap, topic);
  }
  return t;
}

// The topic a step names (topic=, or table= under the connector's prefix), else the one
// table the connector includes.
std::string ScenarioContext::topic_of(const ScenarioStep& step) const {
  if (const auto topic = step.option("topic")) return expand(*topic, step);
  if (!connector) fail(step, "no connector yet: add a `connector register` step before this");
  if (step.option("table")) return connector->change_topic(table_of(step).dotted());
  const std::string& table = include_list;  // Debezium's form: schema.table, as stored
  if (table.empty() || table.find_first_of(",*|[(") != std::string::npos) {
    fail(step,
         "name the table (table=schema.table) or the topic (topic=…): the "
         "connector's table.include.list is not one table");
  }
  return connector->change_topic(table);
}

// table=, as SQL reads it: public."Orders" keeps its case, Public.Orders is public.orders.
TableName ScenarioContext::table_of(const ScenarioStep& step) const {
  const std::string given = option(step, "table");
  if (given.empty()) fail(step, "name the table: table=schema.table");
  try {
    return parse_table_name(given);
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
void ScenarioContext::settle(const ScenarioStep& step, const std::vector<std::string>& topics) {
  if (!connector || !fence_topic) fail(step, "no connector yet: register one first");
  try {
    pqxx::connection conn(stack.endpoints.app.conninfo());
    pqxx::nontransaction tx(conn);
    const int64_t before =
        tx.exec("SELECT (pg_current_wal_lsn() - '0/0')::bigint")[0][0].as<int64_t>();
    const json fence = {
        {"id", tx.exec("INSERT INTO " + fence_table + " DEFAULT VALUES RETURNING id")[0][0]
                   .as<int64_t>()}};
    const auto& fence_events = fence_topic->collect_until(
        "fence row " + fence.dump() + " of " + fence_table +
            " through the connector (is it running?)",
        scaled(60s), [&](const std::vector<ChangeEvent>& seen) {
          return std::any_of(seen.begin(), seen.end(),
                             [&](const ChangeEvent& e) { return e.key == fence; });
        });
    // The fence's own position, not the WAL's end before it: a blocking snapshot's reads
    // carry the LSN the snapshot began at, which can equal that end, and Connect committed
    // an early read's offset while later reads were still unwritten (27 and 182 of 499
    // reads missing in blocking_snapshot.cdc, 1 run in ~20).
    const auto fenced = std::find_if(fence_events.rbegin(), fence_events.rend(),
                                     [&](const ChangeEvent& e) { return e.key == fence; });
    wait_until_written_before_fence(fenced->source.lsn.value_or(before + 1));
    for (const auto& topic : topics) {
      const int64_t end = kafka_topic_end(stack.endpoints.kafka_bootstrap, topic, scaled(10s));
      if (auto it = record_topics_.find(topic); it != record_topics_.end()) {
        const auto deadline = std::chrono::steady_clock::now() + scaled(30s);
        while (static_cast<int64_t>(it->second.records.size()) < end &&
               std::chrono::steady_clock::now() < deadline) {
          if (auto r = it->second.reader->poll(100ms)) it->second.records.push_back(*r);
        }
        if (static_cast<int64_t>(it->second.records.size()) < end) {
          fail(step, "timed out reading " + topic + " up to the fence: " +
                         std::to_string(it->second.records.size()) + " of " + std::to_string(end) +
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
void ScenarioContext::wait_until_written_before_fence(int64_t fence_lsn) {
  const auto& metrics = stack.endpoints.connect_metrics_urls;
  ConnectorHandle handle(stack.endpoints.connect_url, connector->name);
  wait_for(
      "Kafka to acknowledge every record " + connector->name + " polled before the fence (" +
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
            const SourceTaskMetrics first = scrape_source_task_metrics(metrics, connector->name);
            const SourceTaskMetrics second = scrape_source_task_metrics(metrics, connector->name);
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

ExpectRules ScenarioContext::rules_of(const ScenarioStep& step) const {
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
std::vector<Observed> ScenarioContext::arrived(const std::string& topic, bool records) {
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

void ScenarioContext::take(const std::string& topic, bool records) {
  if (records) {
    auto& t = record_topic(topic);
    t.cursor = t.records.size();
  } else {
    auto& t = event_topic(topic);
    t.cursor = t.observer->events().size();
  }
}

void ScenarioContext::receive_some(const std::string& topic, bool records) {
  if (records) {
    auto& t = record_topic(topic);
    if (auto r = t.reader->poll(100ms)) t.records.push_back(std::move(*r));
  } else {
    event_topic(topic).observer->receive(100ms);
  }
}

// Heals faults, runs `cleanup` steps, removes the connector and its slot and topics.
void ScenarioContext::undo() {
  for (auto& [name, f] : faults) {
    try {
      f.fault.heal();
    } catch (const std::exception& e) {
      std::cerr << "warning: could not heal fault " << name << ": " << e.what() << "\n";
    }
  }
  faults.clear();
  for (const size_t index : cleanups) {
    const ScenarioStep& step = text.steps[index];
    try {
      pqxx::connection conn(stack.endpoints.app.conninfo());
      pqxx::nontransaction tx(conn);
      tx.exec(expand(step.body_text(), step));
    } catch (const std::exception& e) {
      std::cerr << text.at(step.line, std::string("warning: cleanup failed: ") + e.what()) << "\n";
    }
  }
  fence_topic.reset();
  event_topics_.clear();
  record_topics_.clear();
  sessions_->by_name.clear();
  if (!connector) return drop_fence_table();
  try {
    remove_connector(stack.endpoints, connector->name, connector->slot_name());
    drop_fence_table();
    if (!signal_group.empty()) {
      delete_kafka_consumer_groups(stack.endpoints.kafka_bootstrap, {signal_group}, scaled(30s));
    }
    if (stack.keep_topics) {
      std::cerr << "kept the topics of " << text.path.string() << ": " << connector->topic_prefix()
                << ".*\n";
      return;
    }
    std::vector<std::string> topics;
    const std::string prefix = connector->topic_prefix() + ".";
    // Heartbeats go to Debezium's own topic for the prefix (topic.heartbeat.prefix's default).
    const std::string heartbeats = "__debezium-heartbeat." + connector->topic_prefix();
    for (const auto& t : kafka_topics(stack.endpoints.kafka_bootstrap, scaled(10s))) {
      if (t.rfind(prefix, 0) == 0 || t == heartbeats) topics.push_back(t);
    }
    delete_kafka_topics(stack.endpoints.kafka_bootstrap, topics, scaled(30s));
  } catch (const std::exception& e) {
    std::cerr << "warning: could not remove connector " << connector->name << ": " << e.what()
              << "\n";
  }
}

void ScenarioContext::drop_fence_table() {
  if (fence_table.empty()) return;
  try {
    pqxx::connection conn(stack.endpoints.app.conninfo());
    pqxx::nontransaction tx(conn);
    tx.exec("DROP TABLE IF EXISTS " + fence_table);
  } catch (const std::exception& e) {
    std::cerr << "warning: could not drop " << fence_table << ": " << e.what() << "\n";
  }
}

}  // namespace cdc
