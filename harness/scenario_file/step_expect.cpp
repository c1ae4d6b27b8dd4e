#include <pqxx/pqxx>

#include <algorithm>
#include <map>
#include <set>

#include "harness/checkers/transaction_metadata.hpp"
#include "harness/common/interrupt.hpp"
#include "harness/common/text.hpp"
#include "harness/scenario_file/step_handlers.hpp"

namespace cdc {
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

// expect final-state table=schema.table [ignore=…]: the last image of each key over every
// event since the topic began (snapshot reads included) equals the table as SELECT sees it.
void expect_final_state(ScenarioContext& ctx, const ScenarioStep& step) {
  ctx.no_body(step);
  if (!step.option("table"))
    ctx.fail(step, "name the table: expect final-state table=schema.table");
  const TableName name = ctx.table_of(step);
  const std::string table = name.sql();
  const std::string topic = ctx.topic_of(step);
  const ExpectRules rules = ctx.rules_of(step);
  ctx.settle(step, {topic});
  std::map<std::string, json> state;
  for (const auto& e : ctx.event_topic(topic).observer->events()) {
    if (e.op == Op::Delete || e.op == Op::Tombstone) {
      state.erase(e.key.dump());
    } else if (e.op == Op::Truncate) {
      state.clear();
    } else if (e.after) {
      state[e.key.dump()] = *e.after;
    }
  }
  ctx.take(topic, false);
  std::map<std::string, json> rows;
  try {
    pqxx::connection conn(ctx.stack.endpoints.app.conninfo());
    pqxx::read_transaction tx(conn);
    std::vector<std::string> key_columns;
    for (const auto& row : tx.exec_params(
             "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
             "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = $1::regclass AND i.indisprimary "
             "ORDER BY array_position(i.indkey, a.attnum)",
             table)) {
      key_columns.push_back(row[0].c_str());
    }
    if (key_columns.empty()) ctx.fail(step, table + " has no primary key to compare rows by");
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
    ctx.fail(step, "cannot read " + table + ": " + first_line(e.what()));
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
  ctx.fail(step,
           "expect final-state of " + table + ": " + std::to_string(differences) +
               " differences between SELECT (" + std::to_string(rows.size()) +
               " rows) and the events on " + topic + " (" + std::to_string(state.size()) +
               " keys)\n" + diff + (differences > 20 ? "  …\n" : ""),
           {"final-state"});
}

// expect transactions [allow-duplicates]: with provide.transaction.metadata, every transaction
// on the connector's <prefix>.transaction topic since it began agrees with the change events
// it framed: one BEGIN and one END, END's counts those that arrived, total_order and
// data_collection_order running 1..n; after a fault each re-delivery repeats what its first
// said (orders numbered afresh after a restart are debezium/dbz#633).
void expect_transactions(ScenarioContext& ctx, const ScenarioStep& step) {
  ctx.no_body(step);
  if (!ctx.connector) ctx.fail(step, "no connector yet: add a `connector register` step first");
  const std::string topic = ctx.connector->topic_prefix() + ".transaction";
  ctx.record_topic(topic);
  ctx.settle(step, {topic});
  const auto markers_read = [&] {
    std::vector<TransactionMarker> markers;
    for (const auto& record : ctx.record_topic(topic).records) {
      if (!record.value) continue;
      try {
        markers.push_back(decode_transaction_marker(*record.value, record.position));
      } catch (const DecodeError& e) {
        ctx.fail(step, "a record of " + topic + " is no transaction marker: " + e.what());
      }
    }
    return markers;
  };
  // The harness's own fence transactions are not the file's: left out (the last one's END
  // may still be on its way when the fence is seen).
  std::set<int64_t> fences;
  for (const auto& e : ctx.fence_topic->events())
    if (e.source.tx_id) fences.insert(*e.source.tx_id);
  std::set<std::string> collections;
  for (const auto& m : markers_read())
    for (const auto& [collection, n] : m.data_collections)
      if (collection != ctx.fence_table) collections.insert(collection);
  if (collections.empty())
    ctx.fail(
        step,
        "no transaction of the file's tables on " + topic + ": is provide.transaction.metadata on?",
        {"metadata"});
  // The change events of every table an END names, and the markers, read to a fence, in the
  // order Debezium sent them (a transaction's tables by LSN; re-deliveries after their first).
  std::vector<std::string> topics{topic};
  for (const auto& collection : collections)
    topics.push_back(ctx.connector->change_topic(collection));
  ctx.settle(step, topics);
  for (const auto& e : ctx.fence_topic->events())
    if (e.source.tx_id) fences.insert(*e.source.tx_id);
  std::vector<TransactionMarker> markers;
  for (auto& m : markers_read())
    if (!fences.count(m.tx_id())) markers.push_back(std::move(m));
  std::vector<ChangeEvent> events;
  for (size_t t = 1; t < topics.size(); ++t) {
    const auto& seen = ctx.event_topic(topics[t]).observer->events();
    events.insert(events.end(), seen.begin(), seen.end());
  }
  // Debezium numbers a transaction's events in the order it sends them, which is by LSN;
  // Kafka keeps that order only within a partition. Rows of one multi-insert WAL record (a
  // COPY) share an LSN: where they landed on several partitions nothing tells their order, so
  // there they are taken as their total_order says, which must still run without gap or repeat.
  std::map<std::string, int32_t> partition_of;  // topic -> a partition its events came from
  bool spread = false;                          // a topic's events on more than one partition
  for (const auto& e : events)
    spread = spread || partition_of.emplace(e.kafka.topic.str(), e.kafka.partition).first->second !=
                           e.kafka.partition;
  if (topics.size() > 2 || spread) {
    const auto position = [spread](const ChangeEvent& e) {
      return std::pair{e.source.lsn.value_or(0),
                       spread && e.transaction ? e.transaction->total_order : 0};
    };
    std::stable_sort(events.begin(), events.end(), [&](const ChangeEvent& a, const ChangeEvent& b) {
      return position(a) < position(b);
    });
  }
  std::set<int64_t> transactions;
  for (const auto& m : markers) transactions.insert(m.tx_id());
  for (const auto& e : events)
    if (e.transaction && e.source.tx_id) transactions.insert(*e.source.tx_id);
  const Delivery delivery =
      step.has_flag("allow-duplicates") ? Delivery::AtLeastOnce : Delivery::ExactlyOnce;
  Verdict verdict;
  for (const int64_t tx : transactions)
    verdict.merge(check_transaction_metadata(events, markers, tx, delivery));
  if (verdict.ok()) return;
  std::set<std::string> kinds;
  for (const auto& a : verdict.anomalies) kinds.insert(to_string(a.kind));
  // A transaction no marker names: which events it has, to tell where they came from.
  std::string unframed;
  std::set<int64_t> framed;
  for (const auto& m : markers) framed.insert(m.tx_id());
  for (const auto& e : events) {
    if (!e.transaction || !e.source.tx_id || framed.count(*e.source.tx_id)) continue;
    unframed += "  transaction " + std::to_string(*e.source.tx_id) +
                " has no marker; its first "
                "event: " +
                brief(e) + " on " + e.source.schema + "." + e.source.table + "\n";
    framed.insert(*e.source.tx_id);
  }
  ctx.fail(step,
           "expect transactions on " + topic + ": " + std::to_string(verdict.anomalies.size()) +
               " anomalies over " + std::to_string(transactions.size()) + " transactions\n" +
               unframed + verdict.summary().substr(0, 3000),
           kinds);
}

void run_expect(ScenarioContext& ctx, size_t index, const ScenarioStep& step) {
  const std::string what = step.action();
  if (what == "final-state") return expect_final_state(ctx, step);
  if (what == "transactions") return expect_transactions(ctx, step);
  const bool records = what == "records";
  if (what != "events" && what != "records" && what != "no-events") {
    ctx.fail(step, "`expect " + what +
                       "` is not an expectation: use events, records, no-events, final-state or "
                       "transactions");
  }
  const std::string topic = ctx.topic_of(step);
  const ExpectRules rules = ctx.rules_of(step);
  // reads=any: snapshot reads may come anywhere, any number of them, with any image (an
  // incremental snapshot beside writes to the same keys): left out here, for `expect
  // final-state` to judge.
  const bool any_reads = ctx.option(step, "reads", "listed") == "any";
  const auto arrived = [&] {
    auto observed = ctx.arrived(topic, records);
    if (any_reads)
      std::erase_if(observed, [](const Observed& o) { return o.view.value("op", "") == "r"; });
    return observed;
  };
  std::vector<Expected> expected;
  if (what == "no-events") {
    ctx.no_body(step);
  } else {
    for (size_t i = 0; i < step.body.size(); ++i) {
      const std::string line = ctx.expand(step.body[i], step);
      try {
        expected.push_back(records ? parse_record_line(line, step.body_line_numbers[i])
                                   : parse_event_line(line, step.body_line_numbers[i]));
      } catch (const std::invalid_argument& e) {
        throw ScenarioError(ctx.text.at(step.body_line_numbers[i], e.what()));
      }
      if (any_reads && expected.back().view.value("op", "") == "r")
        throw ScenarioError(ctx.text.at(step.body_line_numbers[i],
                                        "a read stated where reads=any leaves reads out: drop "
                                        "the line or reads=any"));
    }
  }
  // Up to a fence: everything committed before this step has arrived then, so what is
  // missing will not come, and the expectation is judged at once. Only where events may
  // still come after the fence (a snapshot reading beside the stream) is it given until its
  // timeout, the fence set again once everything expected is there.
  const auto deadline = std::chrono::steady_clock::now() + ctx.timeout_of(step, 30s);
  if (records) ctx.record_topic(topic);  // read as records, not envelopes, up to the fence
  if (!expected.empty() && !ctx.record && !ctx.events_may_follow_fence.empty()) {
    while (std::chrono::steady_clock::now() < deadline &&
           !match_expected(expected, arrived(), rules).satisfied()) {
      throw_if_interrupted();
      ctx.receive_some(topic, records);
    }
  }
  ctx.settle(step, {topic});
  const auto observed = arrived();
  ctx.take(topic, records);
  if (ctx.record && what != "no-events") {
    std::vector<std::string> lines;
    for (const auto& o : observed) lines.push_back(records ? record_line(o) : event_line(o));
    ctx.recorded[index] = lines;
    return;
  }
  const ExpectOutcome outcome = match_expected(expected, observed, rules);
  if (outcome.ok()) return;
  const auto anomalies = classify(outcome, expected, observed, rules);
  std::set<std::string> kinds;
  for (const auto& [kind, count] : anomalies) kinds.insert(to_string(kind));
  ctx.fail(step,
           "expect " + what + " on " + topic + ": " + std::to_string(outcome.missing.size()) +
               " of " + std::to_string(expected.size()) + " expected not observed, " +
               std::to_string(outcome.unexpected.size()) + " observed not expected (" +
               anomaly_summary(anomalies) + "; " +
               (ctx.events_may_follow_fence.empty()
                    ? "judged at the fence: everything committed before it had arrived"
                    : "waited until the timeout: " + ctx.events_may_follow_fence) +
               ")\n" + explain(outcome, expected, observed, rules, ctx.text.path.string()),
           kinds);
}

}  // namespace

StepHandler expect_step() {
  const std::map<std::string, std::vector<std::string>> matching = {
      {"topic", {}},
      {"table", {}},
      {"match", {"exact", "subset"}},
      {"order", {"per-key", "unordered", "total"}},
      {"ignore", {}},
      {"timeout", {}}};
  std::map<std::string, StepForm> forms;
  auto events = matching;
  events["reads"] = {"listed", "any"};
  forms["events"] = {
      events, {"allow-duplicates"}, StepForm::Body::Required, StepForm::BodyKind::Events};
  forms["records"] = {
      matching, {"allow-duplicates"}, StepForm::Body::Required, StepForm::BodyKind::Records};
  forms["no-events"] = {
      {{"topic", {}}, {"table", {}}, {"timeout", {}}, {"reads", {"listed", "any"}}}};
  forms["final-state"] = {
      {{"table", {}}, {"topic", {}}, {"ignore", {}}, {"match", {"exact", "subset"}}}};
  forms["transactions"] = {{}, {"allow-duplicates"}};
  return {{"expect",
           {"expect events", "expect records topic=T", "expect no-events",
            "expect final-state table=T", "expect transactions"},
           "what arrived since the last expectation (events, records or nothing), judged at a "
           "fence; or the last image of each key equals SELECT; or every transaction's BEGIN, "
           "END and orders agree with its events",
           forms},
          run_expect};
}

}  // namespace cdc
