#include "harness/experiment/bench_run.hpp"
#include "harness/stack/stack_probes.hpp"

#include <boost/process/search_path.hpp>
#include <iomanip>
#include <pqxx/pqxx>
#include <random>
#include <regex>
#include <sstream>
#include <thread>

#include "harness/checkers/change_matcher.hpp"
#include "harness/checkers/expected_change.hpp"
#include "harness/checkers/streaming_matcher.hpp"
#include "harness/common/errors.hpp"
#include "harness/common/files.hpp"
#include "harness/common/handoff.hpp"
#include "harness/common/process.hpp"
#include "harness/common/process_usage.hpp"
#include "harness/common/text.hpp"
#include "harness/common/timeouts.hpp"
#include "harness/common/wait.hpp"
#include "harness/connector/connector_lifecycle.hpp"
#include "harness/connector/rendering_rules.hpp"
#include "harness/experiment/report_run.hpp"
#include "harness/observer/topic_observer.hpp"
#include "harness/stack/kafka_admin.hpp"
#include "harness/stack/native/toolchain.hpp"
#include "harness/workload/customers_workload.hpp"
#include "harness/workload/load_generator.hpp"

namespace cdc {
namespace fs = std::filesystem;
using nlohmann::json;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// "4 / 16 / 64": a sweep's numbers, whole.
std::string counts(const json& values) {
  std::string text;
  for (const auto& v : values) text += (text.empty() ? "" : " / ") + fixed(v.get<double>(), 0);
  return text;
}

double ratio(double ours, double theirs) {
  return theirs > 0 ? ours / theirs : 0;
}

// Waits until the topic holds `target` records; returns when it did.
Clock::time_point topic_reaches(const std::string& bootstrap, const std::string& topic,
                                int64_t target, const std::string& what) {
  wait_for(
      what + ": " + topic + " to hold " + std::to_string(target) + " records", scaled(300s),
      [&] {
        const int64_t end = kafka_topic_end(bootstrap, topic, scaled(10s));
        if (end >= target) return Probe<bool>::ready(true);
        return Probe<bool>::not_yet(std::to_string(end) + " records");
      },
      50ms);
  return Clock::now();
}

fs::path tool(const char* name, const fs::path& preferred) {
  if (!preferred.empty() && fs::exists(preferred)) return preferred;
  const auto found = boost::process::search_path(name);
  if (found.empty())
    throw HarnessError(std::string(name) + " not found: bench compares with it; install it with " +
                       "`bash ci/setup.sh` (Debian: " +
                       (std::string(name) == "kcat" ? "kcat" : "postgresql-15") + ")");
  return found.string();
}

struct PgbenchRun {
  double tps = 0;
  int64_t transactions = 0;
};

// pgbench with `script`, prepared statements (as the generator's), the sessions given, two
// threads (the machine's cores). Its password goes through the environment, never a log.
PgbenchRun run_pgbench(const fs::path& pgbench, const PostgresEndpoint& app, const fs::path& script,
                       const BenchOptions& options, int sessions) {
  ProcessSpec spec{"pgbench",
                   pgbench,
                   {"-n", "-M", "prepared", "-c", std::to_string(sessions), "-j", "2", "-T",
                    std::to_string(options.load.count()), "-f", script.string(), "-h", app.host,
                    "-p", std::to_string(app.port), "-U", app.user, app.dbname},
                   {},
                   options.scratch,
                   std::nullopt,
                   {{"PGPASSWORD", app.password}}};
  const auto out = run_captured(spec, scaled(options.load + 120s));
  std::smatch tps, count;
  if (out.exit_code != 0 ||
      !std::regex_search(out.out, tps, std::regex(R"(tps = ([0-9.]+) \(without initial)")) ||
      !std::regex_search(out.out, count,
                         std::regex(R"(number of transactions actually processed: ([0-9]+))")))
    throw HarnessError("pgbench failed (exit " + std::to_string(out.exit_code) +
                       "): " + out.err.substr(0, 300));
  return {std::stod(tps[1]), std::stoll(count[1])};
}

// The sweep's database: the customers table (as postgres/init.sql makes it) in a database of
// its own, which no publication or slot reads. The comparison is of the two load tools
// against Postgres: Debezium decoding their rows would take the 2 cores from them, and each
// turn would first wait for it to drain the one before.
class SweepDatabase {
 public:
  SweepDatabase(const StackEndpoints& endpoints, const std::string& tag)
      : admin_(endpoints.admin), app_(endpoints.app) {
    app_.dbname = endpoints.app.dbname + "_" + tag + "_sweep";
    {
      pqxx::connection conn(admin_.conninfo());
      pqxx::nontransaction tx(conn);
      tx.exec0("CREATE DATABASE " + tx.quote_name(app_.dbname) + " OWNER " +
               tx.quote_name(app_.user));
    }
    pqxx::connection conn(app_.conninfo());
    pqxx::work tx(conn);
    tx.exec0(
        "CREATE TABLE public.customers (id integer GENERATED BY DEFAULT AS IDENTITY (START WITH "
        "1001) PRIMARY KEY, first_name text NOT NULL, last_name text NOT NULL, email text NOT "
        "NULL UNIQUE)");
    tx.exec0("ALTER TABLE public.customers REPLICA IDENTITY FULL");
    tx.commit();
  }
  ~SweepDatabase() {
    try {
      pqxx::connection conn(admin_.conninfo());
      pqxx::nontransaction tx(conn);
      tx.exec0("DROP DATABASE IF EXISTS " + tx.quote_name(app_.dbname) + " WITH (FORCE)");
    } catch (const std::exception&) {
      // The stack goes with bench's run directory anyway.
    }
  }
  SweepDatabase(const SweepDatabase&) = delete;
  SweepDatabase& operator=(const SweepDatabase&) = delete;
  const PostgresEndpoint& app() const { return app_; }

 private:
  PostgresEndpoint admin_, app_;
};

json compare_generator(const StackEndpoints& endpoints, const BenchOptions& options,
                       const std::string& tag, const Progress& progress) {
  const fs::path pgbench = tool("pgbench", native::locate_toolchain().pg_bindir / "pgbench");
  const fs::path script = options.scratch / "pgbench-insert.sql";
  // The generator's own statement (LoadSession's), with a unique email per row.
  write_file(script,
             "INSERT INTO public.customers (first_name, last_name, email) VALUES ('Load', '" + tag +
                 "-pgbench', '" + tag +
                 "-pgb-' || :client_id || '-' || (random() * 1e15)::bigint || '@example.com') "
                 "RETURNING row_to_json(customers)::text, txid_current(), "
                 "(pg_current_wal_insert_lsn() - '0/0')::bigint;\n");
  const SweepDatabase sweep(endpoints, tag);

  // The server warms up over the first minute (pgbench's second run was often a third faster
  // than its first): a turn of pgbench first that counts for nothing. Then at each session
  // count pgbench and the generator take a turn each, in alternating order.
  progress.stage("bench", "pgbench warm-up: " + std::to_string(options.load.count()) +
                              " s (in a database of its own, " + sweep.app().dbname +
                              ", which no connector reads)");
  run_pgbench(pgbench, sweep.app(), script, options, options.sessions.front());
  std::vector<double> pgbench_tps, generator_tps;
  double generator_cpu = 0, generator_transactions = 0;
  const auto pgbench_turn = [&](int sessions) {
    progress.stage("bench", "pgbench: " + std::to_string(sessions) + " sessions, " +
                                std::to_string(options.load.count()) + " s of single-row inserts");
    const PgbenchRun run = run_pgbench(pgbench, sweep.app(), script, options, sessions);
    pgbench_tps.push_back(run.tps);
    progress.stage("bench", "pgbench: " + std::to_string(static_cast<int>(run.tps)) + " tx/s");
  };
  const auto generator_turn = [&](int sessions) {
    // Offered far above what Postgres takes, so the sessions run flat out, and cut off at the
    // turn's end (as pgbench -T): open loop, the transactions due but late would run on.
    LoadProfile load;
    load.rate = 40000;
    load.duration = options.load;
    load.stop_at_end = true;
    load.sessions = sessions;
    load.mix = ChangeMix{100, 0, 0};
    History history;
    const ProcessUsage cpu_before = process_usage();
    const LoadResult generated = run_open_loop(sweep.app(), tag + "-gen" + std::to_string(sessions),
                                               load, history, progress);
    generator_cpu += process_usage().cpu_s - cpu_before.cpu_s;
    generator_transactions += static_cast<double>(generated.transactions);
    generator_tps.push_back(generated.achieved_rate);
  };
  for (size_t i = 0; i < options.sessions.size(); ++i) {
    if (i % 2 == 0) {
      pgbench_turn(options.sessions[i]);
      generator_turn(options.sessions[i]);
    } else {
      generator_turn(options.sessions[i]);
      pgbench_turn(options.sessions[i]);
    }
  }
  const auto best = [&](const std::vector<double>& tps) {
    const size_t at = static_cast<size_t>(std::max_element(tps.begin(), tps.end()) - tps.begin());
    return json{{"sessions", options.sessions[at]}, {"tps", tps[at]}};
  };
  const json best_pgbench = best(pgbench_tps), best_generator = best(generator_tps);
  return {{"statement", "INSERT ... RETURNING row_to_json, txid_current(), WAL position"},
          {"database", "a database of its own, which no connector reads"},
          {"sessions", options.sessions},
          {"seconds", options.load.count()},
          {"pgbench_tps", pgbench_tps},
          {"generator_tps", generator_tps},
          {"best_pgbench", best_pgbench},
          {"best_generator", best_generator},
          {"generator_cpu_s_per_100k_tx",
           generator_transactions > 0 ? generator_cpu / generator_transactions * 1e5 : 0},
          {"ratio", ratio(best_generator["tps"].get<double>(), best_pgbench["tps"].get<double>())}};
}

// One transaction of `rows` inserts (last_name `label`), from its commit to its last event
// in the topic.
json large_transaction(const StackEndpoints& endpoints, const std::string& topic, int64_t rows,
                       const std::string& label, const Progress& progress) {
  progress.stage("bench", "one transaction of " + std::to_string(rows) + " inserts -> " + topic);
  const int64_t before = kafka_topic_end(endpoints.kafka_bootstrap, topic, scaled(10s));
  pqxx::connection conn(endpoints.app.conninfo());
  pqxx::work tx(conn);
  tx.exec_params0(
      "INSERT INTO public.customers (first_name, last_name, email) "
      "SELECT 'Bulk', $1, $1 || '-' || g || '@example.com' FROM generate_series(1, $2) g",
      label, rows);
  tx.commit();
  const auto committed = Clock::now();
  const auto arrived =
      topic_reaches(endpoints.kafka_bootstrap, topic, before + rows, "the large transaction");
  const double seconds = std::chrono::duration<double>(arrived - committed).count();
  progress.stage("bench", "large transaction: commit -> last event in Kafka " +
                              std::to_string(seconds) + " s");
  return {{"rows", rows},
          {"commit_to_topic_s", seconds},
          {"events_per_s", static_cast<double>(rows) / seconds}};
}

// Many small transactions through the pipeline: the generator flat out for the bench's load
// time, from its start until the topic holds every change.
double small_transactions_rate(const StackEndpoints& endpoints, const std::string& topic,
                               const BenchOptions& options, const std::string& tag,
                               const Progress& progress) {
  LoadProfile load;
  load.rate = 8000;  // past what Postgres takes here: the sessions run flat out
  load.duration = options.load;
  load.sessions = options.sessions.front();
  // Cut off at the end, as the generator's turns against pgbench are.
  load.stop_at_end = true;
  load.mix = ChangeMix{100, 0, 0};
  History history;
  const int64_t before = kafka_topic_end(endpoints.kafka_bootstrap, topic, scaled(10s));
  const auto start = Clock::now();
  const LoadResult generated = run_open_loop(endpoints.app, tag, load, history, progress);
  const auto drained =
      topic_reaches(endpoints.kafka_bootstrap, topic,
                    before + static_cast<int64_t>(generated.changes), "the generator's changes");
  return static_cast<double>(generated.changes) /
         std::chrono::duration<double>(drained - start).count();
}

// The same two measures through a connector of each report profile (its own slot and topic,
// no snapshot), beside the stack's own connector, which streams the same changes.
json pipeline_per_profile(const StackEndpoints& endpoints, const ConnectorConfig& base,
                          const BenchOptions& options, const std::string& tag,
                          const Progress& progress) {
  json out = json::array();
  for (const ConnectorProfile& profile : builtin_profiles()) {
    ConnectorConfig connector = profile_connector(base, profile, tag + "-" + profile.name);
    connector.config["snapshot.mode"] = "no_data";  // the rows already there are not measured
    progress.stage("bench", "pipeline throughput with the " + profile.name + " profile");
    start_connector(endpoints, connector, progress);
    const std::string topic = connector.change_topic();
    try {
      // Its topic exists once its first event does.
      CustomersWorkload(endpoints.app, tag + "-" + profile.name).insert("First", "Event");
      wait_for(
          "the first event on " + topic, scaled(60s),
          [&] {
            const auto topics = kafka_topics(endpoints.kafka_bootstrap, scaled(10s));
            if (std::find(topics.begin(), topics.end(), topic) != topics.end())
              return Probe<bool>::ready(true);
            return Probe<bool>::not_yet("no such topic yet");
          },
          100ms);
      topic_reaches(endpoints.kafka_bootstrap, topic, 1, "the first event");
      const double small = small_transactions_rate(endpoints, topic, options,
                                                   tag + "-" + profile.name + "-small", progress);
      json large = large_transaction(endpoints, topic, options.events,
                                     tag + "-" + profile.name + "-bulk", progress);
      out.push_back({{"profile", profile.name},
                     {"description", profile.description},
                     {"small_tx_events_per_s", small},
                     {"large_tx", large}});
    } catch (...) {
      remove_connector(endpoints, connector.name, connector.slot_name());
      throw;
    }
    remove_connector(endpoints, connector.name, connector.slot_name());
  }
  return out;
}

// Whether kcat can decode Avro with a schema registry: `kcat -V` lists its features (Debian's
// build has no Avro: "JSON, Transactions, IncrementalAssign").
bool kcat_reads_avro() {
  const auto version = run_captured(
      ProcessSpec{"kcat -V", tool("kcat", {}), {"-V"}, {}, "/", std::nullopt, {}}, scaled(10s));
  const size_t at = version.out.find("Version");
  return at != std::string::npos &&
         first_line(version.out.substr(at)).find("Avro") != std::string::npos;
}

// kcat reading the whole topic to /dev/null; its time in seconds. With `registry`, it decodes
// Avro records as the observer does, with the registry's writer schemas.
double kcat_reads(const std::string& kafka, const std::string& topic, const std::string& registry,
                  const BenchOptions& options) {
  const fs::path kcat = tool("kcat", {});
  std::vector<std::string> args = {"-C", "-b", kafka, "-t", topic, "-o", "beginning", "-e", "-q"};
  if (!registry.empty()) {
    args.insert(args.end(), {"-s", "key=avro", "-s", "value=avro", "-r",
                             registry + "/apis/ccompat/v7", "-f", "%k %s\n"});
  }
  const auto start = Clock::now();
  run_command(ProcessSpec{"kcat", kcat, args, "/dev/null", options.scratch, std::nullopt, {}},
              scaled(600s));
  return seconds_since(start);
}

struct ObserverRun {
  double seconds = 0, cpu_s = 0, megabytes = 0;
  size_t expected = 0;
  std::string verdict{};
};

// The observer reading the whole topic: every record decoded into the typed event, and none
// kept. With `check`, each is also handed to the streaming checker, as a report does; it
// expects the large transaction's rows (each once, in order; read from Postgres before the
// clock starts).
ObserverRun observer_reads(const StackEndpoints& endpoints, const ConnectorConfig& connector,
                           const std::string& tag, int64_t total, bool check) {
  const std::string topic = connector.change_topic();
  const MatchRules rules =
      rendering_rules(endpoints.app, "public.customers", connector, Delivery::AtLeastOnce);
  StreamingMatcher matcher(rules);
  ObserverRun run;
  if (check) {
    pqxx::connection conn(endpoints.app.conninfo());
    pqxx::nontransaction tx(conn);
    for (const auto& row :
         tx.exec_params("SELECT row_to_json(c)::text, xmin::text::bigint FROM public.customers c "
                        "WHERE last_name = $1 ORDER BY id",
                        tag + "-bulk")) {
      ExpectedChange change = expect::create(json{}).with_after(json::parse(row[0].c_str()));
      change.key = json{{"id", change.after->at("id")}};
      change.tx_id = row[1].as<int64_t>();
      matcher.expect(std::move(change));
      ++run.expected;
    }
  }
  const ProcessUsage before = process_usage();
  const auto start = Clock::now();
  // As a report's step check does: the events are judged on a thread of their own.
  Handoff<std::vector<ChangeEvent>> batches;
  std::thread judge([&] {
    while (auto batch = batches.pop()) {
      for (const auto& e : *batch) matcher.observe(e);
    }
  });
  TopicObserver observer(endpoints.kafka_bootstrap, topic);
  int64_t read = 0;
  try {
    while (read < total) {
      if (seconds_since(start) > static_cast<double>(scaled(600s).count()) / 1000.0)
        throw TimeoutError("the observer read only " + std::to_string(read) + " of " +
                           std::to_string(total) + " records of " + topic + " in 600 s");
      observer.receive(200ms);
      auto events = observer.take_events();
      read += static_cast<int64_t>(events.size());
      if (check) batches.push(std::move(events));
    }
  } catch (...) {
    batches.close();
    judge.join();
    throw;
  }
  batches.close();
  judge.join();
  if (check) run.verdict = matcher.finish().summary();
  run.seconds = seconds_since(start);
  run.cpu_s = process_usage().cpu_s - before.cpu_s;
  run.megabytes = static_cast<double>(observer.bytes_read()) / 1e6;
  return run;
}

// kcat and the observer take turns, twice, on the same topic; the best of each is compared
// (a shared machine's noise moves single runs by a third). The observer reads once alone
// (what kcat does: read every record; it also decodes each) and once feeding the checker.
json compare_observer(const StackEndpoints& endpoints, const ConnectorConfig& connector,
                      const std::string& tag, const BenchOptions& options,
                      const Progress& progress) {
  const std::string topic = connector.change_topic();
  const auto& kafka = endpoints.kafka_bootstrap;
  const int64_t total = kafka_topic_end(kafka, topic, scaled(10s));
  std::vector<double> kcat_s, observer_s, checked_s;
  ObserverRun alone, checked;
  // An Avro topic: kcat decodes it too where its build can, else it reads the bytes only.
  const bool avro = !endpoints.schema_registry_url.empty();
  const bool kcat_decodes = avro && kcat_reads_avro();
  for (int round = 1; round <= 2; ++round) {
    progress.stage("bench", "kcat reads " + topic + " (" + std::to_string(total) + " records, " +
                                std::to_string(round) + " of 2)");
    kcat_s.push_back(
        kcat_reads(kafka, topic, kcat_decodes ? endpoints.schema_registry_url : "", options));
    progress.stage("bench", "the observer reads and decodes the same topic");
    alone = observer_reads(endpoints, connector, tag, total, false);
    observer_s.push_back(alone.seconds);
    progress.stage("bench", "the observer reads, decodes and checks it");
    checked = observer_reads(endpoints, connector, tag, total, true);
    checked_s.push_back(checked.seconds);
    progress.stage("bench", "kcat " + fixed(kcat_s.back(), 2) + " s, observer " +
                                fixed(observer_s.back(), 2) + " s, with the check " +
                                fixed(checked_s.back(), 2) + " s");
  }
  const double records = static_cast<double>(total);
  const auto rate = [&](const std::vector<double>& s) {
    return records / *std::min_element(s.begin(), s.end());
  };
  return {{"topic", topic},
          {"records", total},
          {"format", avro ? "avro" : "json"},
          {"kcat_decodes_avro", kcat_decodes},
          {"megabytes", alone.megabytes},
          {"kcat_s", kcat_s},
          {"observer_s", observer_s},
          {"observer_checked_s", checked_s},
          {"kcat_events_per_s", rate(kcat_s)},
          {"observer_events_per_s", rate(observer_s)},
          {"observer_checked_events_per_s", rate(checked_s)},
          {"observer_mb_per_s", alone.megabytes * rate(observer_s) / records},
          {"kcat_mb_per_s", alone.megabytes * rate(kcat_s) / records},
          {"ratio", ratio(rate(observer_s), rate(kcat_s))},
          {"checked_ratio", ratio(rate(checked_s), rate(kcat_s))},
          {"observer_cpu_s_per_100k_events", alone.cpu_s / records * 1e5},
          {"checked_cpu_s_per_100k_events", checked.cpu_s / records * 1e5},
          {"observer_peak_rss_mb", process_usage().peak_rss_mb},
          {"checker_expected", checked.expected},
          {"checker_verdict", checked.verdict}};
}

}  // namespace

json run_bench(const StackEndpoints& endpoints, const ConnectorConfig& connector,
               const BenchOptions& options, const Progress& progress) {
  fs::create_directories(options.scratch);
  std::random_device random;
  const std::string tag = "bench" + std::to_string(random() % 100000);
  json bench;
  bench["versions"] = {{"postgres", sql_value(endpoints.app, "SHOW server_version")}};
  bench["generator"] = compare_generator(endpoints, options, tag, progress);
  bench["large_transaction"] = large_transaction(endpoints, connector.change_topic(),
                                                 options.events, tag + "-bulk", progress);
  bench["observer"] = compare_observer(endpoints, connector, tag, options, progress);
  bench["pipeline_profiles"] = pipeline_per_profile(endpoints, connector, options, tag, progress);
  bench["harness_peak_rss_mb"] = process_usage().peak_rss_mb;
  return bench;
}

std::string write_bench(const json& bench, const fs::path& out) {
  fs::create_directories(out);
  write_file(out / "bench.json", bench.dump(2) + "\n");
  const json& g = bench["generator"];
  const json& o = bench["observer"];
  const json& l = bench["large_transaction"];
  const json& b = bench["bring_up"];
  std::ostringstream md;
  md << "# cdc-harness bench\n\n"
     << "Each comparison ran on one stack in the same few minutes, against the tool a user "
        "would reach for instead. Numbers vary from run to run on a shared machine; the ratios "
        "are what to compare.\n\n"
     << "| what | harness | reference | ratio |\n|---|---|---|---|\n"
     << "| observer: read + decode " << o["records"].get<int64_t>() << " events ("
     << fixed(o["megabytes"].get<double>(), 0) << " MB"
     << (o.value("format", "json") == "avro" ? ", Avro" : "") << ") | "
     << fixed(o["observer_events_per_s"].get<double>(), 0) << " events/s ("
     << fixed(o["observer_mb_per_s"].get<double>(), 0) << " MB/s) | kcat "
     << (o.value("format", "json") != "avro"   ? ""
         : o.value("kcat_decodes_avro", false) ? "-s avro "
                                               : "(bytes only: this kcat has no Avro) ")
     << fixed(o["kcat_events_per_s"].get<double>(), 0) << " events/s ("
     << fixed(o["kcat_mb_per_s"].get<double>(), 0) << " MB/s) | **"
     << fixed(o["ratio"].get<double>(), 2) << "×** (best of two turns each) |\n"
     << "| observer + streaming check of " << o["checker_expected"].get<size_t>()
     << " expected rows | " << fixed(o["observer_checked_events_per_s"].get<double>(), 0)
     << " events/s | kcat | **" << fixed(o["checked_ratio"].get<double>(), 2) << "×** |\n"
     << "| load generator: single-row inserts at " << counts(g["sessions"])
     << " sessions (in a database no connector reads) | " << counts(g["generator_tps"])
     << " tx/s (best at " << g["best_generator"]["sessions"].get<int>()
     << ") | pgbench -M prepared " << counts(g["pgbench_tps"]) << " tx/s (best at "
     << g["best_pgbench"]["sessions"].get<int>() << ") | **" << fixed(g["ratio"].get<double>(), 2)
     << "×** (best against best) |\n";
  if (b.is_object()) {
    md << "| bring-up to streaming (median of " << b["up_s"].size() << ") | "
       << fixed(b["up_median_s"].get<double>(), 1) << " s";
    // Where it goes: the processes (Kafka's and Connect's JVMs, Connect's group), then the
    // connector (registration, Debezium's slot and snapshot).
    if (b.contains("stack_median_s")) {
      md << " (every process answering " << fixed(b["stack_median_s"].get<double>(), 1)
         << " s, then the connector streaming "
         << fixed(b["up_median_s"].get<double>() - b["stack_median_s"].get<double>(), 1) << " s)";
    }
    md << " | | |\n"
       << "| tear-down (median) | " << fixed(b["down_median_s"].get<double>(), 1) << " s | | |\n";
  }
  md << "\n| pipeline (Debezium "
     << bench.value("/versions/debezium"_json_pointer, std::string("?"))
     << ", default connector) | events/s |\n|---|---|\n"
     << "| one transaction of " << l["rows"].get<int64_t>() << " rows (commit -> last event "
     << fixed(l["commit_to_topic_s"].get<double>(), 1) << " s) | "
     << fixed(l["events_per_s"].get<double>(), 0) << " |\n";
  if (bench.contains("pipeline_profiles")) {
    md << "\n| report profile (its own connector, no snapshot, beside the stack's) | many small "
          "transactions, events/s | one large transaction, events/s |\n|---|---|---|\n";
    for (const auto& p : bench["pipeline_profiles"]) {
      md << "| " << p["profile"].get<std::string>() << " | "
         << fixed(p["small_tx_events_per_s"].get<double>(), 0) << " | "
         << fixed(p["large_tx"]["events_per_s"].get<double>(), 0) << " ("
         << p["large_tx"]["rows"].get<int64_t>() << " rows in "
         << fixed(p["large_tx"]["commit_to_topic_s"].get<double>(), 1) << " s) |\n";
    }
  }
  md << "\n| the harness itself | |\n|---|---|\n"
     << "| observer CPU per 100k events | "
     << fixed(o["observer_cpu_s_per_100k_events"].get<double>(), 2) << " s |\n"
     << "| generator CPU per 100k transactions | "
     << fixed(g["generator_cpu_s_per_100k_tx"].get<double>(), 2) << " s |\n"
     << "| observer + check CPU per 100k events | "
     << fixed(o["checked_cpu_s_per_100k_events"].get<double>(), 2) << " s |\n"
     << "| the check's verdict on the large transaction | "
     << o["checker_verdict"].get<std::string>() << " |\n"
     << "| peak RSS (the check held " << o["checker_expected"].get<size_t>()
     << " expected rows at once) | " << fixed(bench["harness_peak_rss_mb"].get<double>(), 0)
     << " MB |\n";
  write_file(out / "bench.md", md.str());
  return md.str();
}

}  // namespace cdc
