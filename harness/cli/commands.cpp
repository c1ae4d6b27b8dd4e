#include "harness/cli/commands.hpp"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <functional>
#include <iostream>
#include <sstream>
#include <thread>

#include "harness/cleanup/stack_inventory.hpp"
#include "harness/cli/run_dir_claims.hpp"
#include "harness/cli/stack_lease.hpp"
#include "harness/cli/tear_down.hpp"
#include "harness/common/errors.hpp"
#include "harness/common/files.hpp"
#include "harness/common/interrupt.hpp"
#include "harness/common/process.hpp"
#include "harness/common/progress.hpp"
#include "harness/common/run_dir.hpp"
#include "harness/common/text.hpp"
#include "harness/common/timeouts.hpp"
#include "harness/connector/capture_check.hpp"
#include "harness/connector/connect_client.hpp"
#include "harness/connector/connector_config.hpp"
#include "harness/connector/connector_handle.hpp"
#include "harness/connector/connector_lifecycle.hpp"
#include "harness/connector/converter_settings.hpp"
#include "harness/connector/worker_settings.hpp"
#include "harness/experiment/bench_run.hpp"
#include "harness/experiment/chaos.hpp"
#include "harness/experiment/pipeline_check.hpp"
#include "harness/experiment/report_run.hpp"
#include "harness/explore/explore_run.hpp"
#include "harness/faults/fault_catalogue.hpp"
#include "harness/faults/schedule.hpp"
#include "harness/observer/change_line.hpp"
#include "harness/observer/envelope_decoder.hpp"
#include "harness/observer/schema_registry.hpp"
#include "harness/observer/topic_observer.hpp"
#include "harness/report/chaos_report.hpp"
#include "harness/report/report_writers.hpp"
#include "harness/scenario_file/scenario_runner.hpp"
#include "harness/stack/backend.hpp"
#include "harness/stack/external/external_endpoints.hpp"
#include "harness/stack/stack_probes.hpp"
#include "harness/stack/version_sets.hpp"

namespace cdc::cli {
namespace fs = std::filesystem;

namespace {

// On a stack others share, the run's connector carries the run id in its name, slot and
// topic prefix (and so does every connector a scenario derives from it); it writes with the
// converter the run asked for.
ConnectorConfig connector_for_run(const ConnectorConfig& connector, const StackChoice& choice,
                                  const StackEndpoints& endpoints) {
  return with_converter(choice.shared() ? isolated_copy(connector, choice.run_id) : connector,
                        choice.converter, endpoints);
}

int tail_topic(TopicObserver& observer) {
  std::cerr << "tailing " << observer.topic() << " (Ctrl-C stops)\n";
  std::string told;
  while (!interrupted()) {
    try {
      if (auto event = observer.poll(std::chrono::milliseconds(200))) {
        std::cout << change_line(*event) << std::endl;
      }
      if (observer.last_trouble() != told) {
        told = observer.last_trouble();
        if (!told.empty()) std::cerr << "(kafka: " << told << " - still trying)\n";
      }
    } catch (const DecodeError& e) {
      std::cout << "(undecodable record) " << e.what() << std::endl;
    }
  }
  return 0;
}

void print_endpoints(const StackEndpoints& endpoints, const ConnectorConfig& connector,
                     bool registered, const fs::path& run_dir,
                     const std::optional<fs::path>& external_file) {
  const fs::path pgpass = RunDir(run_dir).pgpass();
  write_file(pgpass,
             endpoints.app.host + ":" + std::to_string(endpoints.app.port) + ":" +
                 endpoints.app.dbname + ":" + endpoints.app.user + ":" + endpoints.app.password +
                 "\n",
             fs::perms::owner_read | fs::perms::owner_write);
  std::cout << "postgres   " << endpoints.app.describe() << "   (debezium connects as "
            << endpoints.debezium.user << ")\n"
            << "           PGPASSFILE=" << pgpass.string() << " psql \"host=" << endpoints.app.host
            << " port=" << endpoints.app.port << " dbname=" << endpoints.app.dbname
            << " user=" << endpoints.app.user << "\"\n"
            << "kafka      " << endpoints.kafka_bootstrap << "\n";
  if (!registered) {
    std::cout << "connect    " << endpoints.connect_url << "   no connector (--no-connector; runs "
              << "derive theirs from " << connector.name << ")\n";
  } else {
    std::cout << "connect    " << endpoints.connect_url << "   connector " << connector.name << "\n"
              << "topic      " << connector.change_topic() << "\n";
  }
  if (!endpoints.schema_registry_url.empty()) {
    std::cout << "registry   " << endpoints.schema_registry_url << "   Avro schemas: curl "
              << endpoints.schema_registry_url << "/apis/ccompat/v7/subjects\n";
  }
  std::cout << "logs       " << RunDir(run_dir).logs().string() << "\n";
  if (registered) {
    std::cout << "tail it    KAFKA_CDC_BOOTSTRAP_SERVERS=" << endpoints.kafka_bootstrap
              << " KAFKA_CDC_TOPIC=" << connector.change_topic()
              << (endpoints.schema_registry_url.empty()
                      ? ""
                      : " CDC_SCHEMA_REGISTRY_URL=" + endpoints.schema_registry_url)
              << " cdc-harness tail\n";
  }
  if (external_file) {
    std::cout << "share it   CDC_STACK=external CDC_EXTERNAL_CONFIG=" << external_file->string()
              << " ctest ...   (another run, on this stack)\n";
  }
  std::cout << std::flush;
}

void start_guard(const Options& options) {
  const int pid = spawn_server(ProcessSpec{"guard",
                                           fs::read_symlink("/proc/self/exe"),
                                           {"guard", "--run-dir", options.run_dir.string(),
                                            "--guard-pid", std::to_string(options.guard_pid)},
                                           RunDir(options.run_dir).log("guard"),
                                           options.run_dir,
                                           std::nullopt});
  write_file(guard_file(options.run_dir),
             std::to_string(pid) + " " + std::to_string(options.guard_pid) + "\n");
}

bool process_exists(int pid) {
  return ::kill(pid, 0) == 0 || errno == EPERM;
}

}  // namespace

int cmd_guard(const Options& options) {
  auto backend = recorded_stack_backend(options.run_dir);
  // Polls: the guarded process is not our child, so there is nothing to wait on.
  while (backend->has_leftovers() && process_exists(options.guard_pid) && !interrupted()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  // Stopped by `down` (which signals the guard first, then stops the stack itself).
  if (!backend->has_leftovers() || interrupted()) return 0;
  Progress progress;
  progress.stage("guard",
                 "process " + std::to_string(options.guard_pid) + " is gone: stopping the stack");
  tear_down(options.run_dir, progress);
  return 0;
}

// A connector that streams can still capture nothing (an include list matching no table, a
// publication without the table): said in a line each, never stopping the bring-up.
void warn_of_what_it_misses(const StackEndpoints& endpoints, const ConnectorConfig& connector) {
  try {
    for (const auto& warning :
         capture_warnings(connector, read_capture_facts(endpoints.app, connector)))
      std::cerr << "warning: " << warning << "\n";
  } catch (const std::exception& e) {
    std::cerr << "warning: could not check what connector " << connector.name
              << " captures: " << first_line(e.what()) << "\n";
  }
}

namespace {

// Reads what the worker and the connector run with (worker_settings.hpp), shows it as a stage
// line (and a warning where the worker disagrees with what the stack's config means), and
// keeps it in the run directory for the reports.
void note_worker_settings(const StackBackend& backend, const StackEndpoints& endpoints,
                          const ConnectorConfig& connector, const fs::path& run_dir,
                          const Progress& progress) {
  nlohmann::json settings;
  try {
    const WorkerSettings worker = read_worker_settings(endpoints, connector, backend.worker_log());
    progress.stage("worker", describe(worker));
    const std::string disagreement =
        offset_flush_disagreement(worker, backend.intended_offset_flush_ms());
    if (!disagreement.empty()) std::cerr << "warning: " << disagreement << "\n";
    if (const std::string c = unreadable_converter(worker, !endpoints.schema_registry_url.empty());
        !c.empty())
      std::cerr << "warning: " << c << "\n";
    settings = to_json(worker);
  } catch (const HarnessError& e) {
    settings = {{"error", e.what()}};
  }
  write_file(RunDir(run_dir).worker_settings(), settings.dump(2) + "\n");
}

nlohmann::json recorded_worker_settings(const fs::path& run_dir) {
  std::error_code ec;
  if (!fs::exists(RunDir(run_dir).worker_settings(), ec)) return nlohmann::json();
  return nlohmann::json::parse(read_file(RunDir(run_dir).worker_settings()), nullptr, false);
}

}  // namespace

int cmd_up(const Options& options) {
  Progress progress;
  // Read the connector config before anything starts: a bad file must not leave a stack.
  const ConnectorConfig connector = load_connector_config(options.connector_file);
  if (options.no_connector && options.tail)
    throw HarnessError(
        "--tail prints the connector's changes, and --no-connector registers "
        "none: drop one of them");
  const StackChoice choice = choose_stack(
      options.stack, options.stack_config, choose_topology(options.brokers, options.workers),
      choose_version_set(options.versions), options.connect_defaults, options.converter);
  progress.stage(
      "stack", choice.name() + " stack, run " + choice.run_id +
                   (choice.topology.clustered() ? ", " + choice.topology.describe() : "") +
                   (choice.kind == StackKind::Native ? ", version set " + choice.versions : "") +
                   (choice.connect_defaults ? ", workers with Connect's defaults" : "") +
                   (choice.converter == Converter::Avro ? ", Avro through a schema registry" : ""));
  StackLease lease(options.run_dir, choice, StackLease::Reuse::Never, progress);
  const StackEndpoints& endpoints = lease.endpoints();
  const ConnectorConfig registered = connector_for_run(connector, choice, endpoints);
  if (options.no_connector) {
    progress.stage("connector", "none registered (--no-connector)");
  } else {
    progress.stage("connector",
                   "registering " + registered.name + " from " + options.connector_file.string());
    start_connector(endpoints, registered, progress);
    warn_of_what_it_misses(endpoints, registered);
  }
  note_worker_settings(lease.backend(), endpoints, registered, options.run_dir, progress);
  save_stack_connector(options.run_dir, registered, !options.no_connector);
  std::optional<fs::path> external_file;
  if (!choice.shared()) {
    external_file = RunDir(options.run_dir).external_settings();
    write_file(*external_file, external::external_settings_text(endpoints),
               fs::perms::owner_read | fs::perms::owner_write);
  }
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.1f", progress.elapsed_seconds());
  if (options.no_connector)
    std::cout << "stack up: " << seconds << " s (start -> every process answering)\n";
  else
    std::cout << "pipeline streaming: bring-up took " << seconds
              << " s (start -> connector streaming)\n";
  print_endpoints(endpoints, registered, !options.no_connector, options.run_dir, external_file);
  use_schema_registry(endpoints.schema_registry_url);
  if (options.detach) {
    if (options.guard_pid) start_guard(options);
    lease.hand_over();
    return 0;
  }

  int exit_code = 0;
  try {
    if (options.tail) {
      TopicObserver observer(endpoints.kafka_bootstrap, registered.change_topic(),
                             StartAt::Earliest);
      tail_topic(observer);
    } else {
      std::cerr << "up; Ctrl-C stops the stack\n";
      while (!interrupted()) {
        for (const auto& component : lease.backend().status()) {
          if (!component.running)
            throw HarnessError(component.name + " stopped unexpectedly; see " +
                               RunDir(options.run_dir).logs().string());
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(500));  // idle until Ctrl-C, watching
      }
    }
  } catch (const HarnessError& e) {
    std::cerr << "error: " << e.what() << "\n";
    exit_code = 1;
  }
  Progress teardown;
  teardown.stage("stack", "stopping");
  lease.release(teardown);
  teardown.stage("stack", "stopped");
  return exit_code;
}

int cmd_down(const Options& options) {
  Progress progress;
  if (options.guard_pid) {
    const auto guarded = guarded_process(options.run_dir);
    const auto owner = live_owner(options.run_dir);
    if ((guarded && *guarded != options.guard_pid) || (!guarded && owner)) {
      std::cout << "the stack in " << options.run_dir.string() << " belongs to another run (pid "
                << (guarded ? *guarded : *owner) << "): leaving it\n";
      return 0;
    }
  }
  auto backend = recorded_stack_backend(options.run_dir);
  if (!backend->has_leftovers() && !load_stack_choice(options.run_dir)) {
    std::cout << "nothing running in " << options.run_dir.string() << "\n";
    return 0;
  }
  if (auto owner = live_owner(options.run_dir)) {
    progress.stage("stack",
                   "stopping the stack of cdc-harness up (pid " + std::to_string(*owner) + ")");
  }
  if (!tear_down(options.run_dir, progress)) return 1;
  progress.stage("stack", "stopped; logs kept in " + RunDir(options.run_dir).logs().string());
  return 0;
}

int cmd_status(const Options& options) {
  auto backend = recorded_stack_backend(options.run_dir);
  if (!backend->has_leftovers()) {
    std::cout << "nothing running in " << options.run_dir.string() << "\n";
    return 1;
  }
  bool all = true;
  for (const auto& component : backend->status()) {
    std::printf("%-9s %-8s %s\n", component.name.c_str(), component.running ? "running" : "DOWN",
                component.detail.c_str());
    all = all && component.running;
  }
  if (fs::exists(RunDir(options.run_dir).connector())) {
    const auto connector = load_stack_connector(options.run_dir);
    if (stack_connector_registered(options.run_dir))
      std::printf("%-9s %-8s %s -> topic %s\n", "connector", "", connector.name.c_str(),
                  connector.change_topic().c_str());
    else
      std::printf("%-9s %-8s none registered (up --no-connector); runs derive theirs from %s\n",
                  "connector", "", connector.name.c_str());
  }
  if (const auto choice = load_stack_choice(options.run_dir)) {
    std::printf("%-9s %-8s %s, run %s\n", "stack", "", choice->name().c_str(),
                choice->run_id.c_str());
  }
  return all ? 0 : 1;
}

int cmd_check(const Options& options) {
  const StackEndpoints endpoints = load_endpoints(options.run_dir);
  const ConnectorConfig connector = load_registered_connector(options.run_dir);
  const auto choice = load_stack_choice(options.run_dir);
  use_schema_registry(endpoints.schema_registry_url);
  const PipelineCheck check =
      check_pipeline(endpoints, connector, "check-" + (choice ? choice->run_id : "run"));
  std::printf(
      "ok: a change to public.customers came through %s to %s in %.2f s, keyed by its "
      "primary key (%s), in an envelope the harness reads\n",
      connector.name.c_str(), check.topic.c_str(), check.seconds, check.key.c_str());
  return 0;
}

int cmd_inventory(const Options& options) {
  std::cout << stack_inventory(load_endpoints(options.run_dir)).dump(2) << "\n";
  return 0;
}

int cmd_tail(const Options& options) {
  std::string topic = !options.topic.empty() ? options.topic : env("KAFKA_CDC_TOPIC");
  std::string bootstrap =
      !options.bootstrap.empty() ? options.bootstrap : env("KAFKA_CDC_BOOTSTRAP_SERVERS");
  if (topic.empty()) topic = load_registered_connector(options.run_dir).change_topic();
  // load_endpoints says why when the run directory has no stack.
  if (bootstrap.empty()) bootstrap = load_endpoints(options.run_dir).kafka_bootstrap;
  std::string registry = env("CDC_SCHEMA_REGISTRY_URL");
  if (registry.empty() && fs::exists(RunDir(options.run_dir).endpoints()))
    registry = load_endpoints(options.run_dir).schema_registry_url;
  use_schema_registry(registry);
  TopicObserver observer(bootstrap, topic, options.from);
  return tail_topic(observer);
}

}  // namespace cdc::cli

namespace cdc::cli {

namespace {

ChangeMix parse_mix(const std::string& text) {
  ChangeMix mix;
  char slash1 = 0, slash2 = 0;
  std::istringstream in(text);
  if (!(in >> mix.insert >> slash1 >> mix.update >> slash2 >> mix.remove) || slash1 != '/' ||
      slash2 != '/' || mix.insert < 0 || mix.update < 0 || mix.remove < 0 ||
      mix.insert + mix.update + mix.remove != 100) {
    throw HarnessError("--mix needs three percentages that add up to 100, like 60/30/10, not '" +
                       text + "'");
  }
  return mix;
}

std::vector<ConnectorProfile> pick_profiles(const std::string& names) {
  std::vector<ConnectorProfile> picked;
  std::istringstream in(names);
  for (std::string name; std::getline(in, name, ',');) {
    bool found = false;
    for (const auto& p : builtin_profiles()) {
      if (p.name == name) {
        picked.push_back(p);
        found = true;
      }
    }
    if (!found)
      throw HarnessError("unknown profile '" + name +
                         "': the profiles are debezium-defaults, low-latency");
  }
  return picked;
}

fs::path default_report_dir() {
  const std::time_t now = std::time(nullptr);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", std::localtime(&now));
  return fs::path(CDC_SOURCE_DIR) / "reports" / "out" / stamp;
}

// Runs `job` on the stack running in the run directory, or on one brought up for it and
// stopped afterwards (also when the job fails or Ctrl-C ends it).
int on_a_stack(
    const Options& options, const Progress& progress,
    const std::function<int(StackBackend&, const StackEndpoints&, const StackChoice&)>& job) {
  const Topology topology = choose_topology(options.brokers, options.workers);
  const std::string versions = choose_version_set(options.versions);
  StackLease lease(options.run_dir,
                   choose_stack(options.stack, options.stack_config, topology, versions,
                                options.connect_defaults, options.converter),
                   StackLease::Reuse::IfRunning, progress);
  // A running stack is used as it is: one it cannot stand for is refused, and left running.
  const StackChoice& running = lease.choice();
  if (lease.reused() && !options.versions.empty() && running.versions != versions) {
    throw HarnessError("the stack running in " + options.run_dir.string() + " runs version set " +
                       running.versions + ", not " + versions +
                       ": `cdc-harness down` it first, or drop --versions");
  }
  if (lease.reused() && (!options.brokers.empty() || !options.workers.empty()) &&
      !(running.topology == topology)) {
    throw HarnessError("the stack running in " + options.run_dir.string() + " has " +
                       running.topology.describe() + ", not the " + topology.describe() +
                       " asked for: `cdc-harness down` it first, or drop --brokers/--workers");
  }
  use_schema_registry(lease.endpoints().schema_registry_url);
  note_worker_settings(lease.backend(), lease.endpoints(),
                       fs::exists(RunDir(options.run_dir).connector())
                           ? load_stack_connector(options.run_dir)
                           : load_connector_config(options.connector_file),
                       options.run_dir, progress);
  const int exit_code = job(lease.backend(), lease.endpoints(), lease.choice());
  lease.release(progress);
  return exit_code;
}

fs::path report_dir(const Options& options) {
  return options.out.empty() ? default_report_dir() : fs::absolute(options.out);
}

}  // namespace

int cmd_report(const Options& options) {
  Progress progress;
  ReportOptions report_options;
  report_options.rates = options.rates;
  report_options.load.duration = std::chrono::seconds(options.duration_s ? options.duration_s : 10);
  report_options.load.sessions = options.sessions;
  report_options.load.transaction_size = options.transaction_size;
  report_options.load.mix = parse_mix(options.mix);
  report_options.profiles = pick_profiles(options.profiles);
  const ConnectorConfig connector = load_connector_config(options.connector_file);
  const fs::path out = report_dir(options);
  return on_a_stack(options, progress,
                    [&](StackBackend&, const StackEndpoints& endpoints, const StackChoice& choice) {
                      report_options.run_id = choice.run_id.empty() ? new_run_id() : choice.run_id;
                      report_options.stack = choice.name();
                      report_options.topology = choice.topology;
                      report_options.version_set = choice.versions;
                      report_options.worker = recorded_worker_settings(options.run_dir);
                      const ReportData report = run_report(
                          endpoints, with_converter(connector, choice.converter, endpoints),
                          report_options, progress);
                      write_report(report, out);
                      std::cout << "report written to " << out.string()
                                << "/ (index.html, report.md, report.json)\n";
                      if (report.correct()) return 0;
                      std::cerr << "error: the correctness checkers found anomalies; see "
                                << (out / "report.md").string() << "\n";
                      return 1;
                    });
}

int cmd_chaos(const Options& options) {
  Progress progress;
  ChaosOptions chaos;
  if (options.faults == "all") {
    chaos.faults = fault_names();
  } else {
    std::istringstream list(options.faults);
    for (std::string name; std::getline(list, name, ',');) chaos.faults.push_back(name);
  }
  for (const auto& name : chaos.faults) {
    const auto known = fault_names();
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      throw HarnessError("unknown fault '" + name +
                         "' in --faults: see `cdc-harness chaos --help`");
    }
  }
  chaos.seed = options.seed;
  chaos.duration = std::chrono::seconds(options.duration_s ? options.duration_s : 60);
  chaos.interval = std::chrono::seconds(options.interval_s);
  chaos.liveness_bound = options.liveness_s ? std::chrono::milliseconds(options.liveness_s * 1000)
                                            : scaled(kDefaultLivenessBound);
  chaos.load.rate = options.rates_given ? options.rates.front() : 40;
  chaos.load.sessions = options.sessions;
  chaos.load.transaction_size = options.transaction_size;
  chaos.load.mix = parse_mix(options.mix);
  // Checked before anything starts: a bad schedule must not leave a stack behind.
  draw_schedule(chaos.seed, chaos.faults, chaos.duration, chaos.interval);
  const ConnectorConfig connector = load_connector_config(options.connector_file);
  const fs::path out = report_dir(options);
  std::string replay = "cdc-harness chaos --seed " + std::to_string(chaos.seed) + " --faults " +
                       options.faults + " --duration " +
                       std::to_string(chaos.duration.count() / 1000) + " --interval " +
                       std::to_string(options.interval_s) + " --rate " +
                       std::to_string(static_cast<int>(chaos.load.rate)) + " --liveness " +
                       std::to_string(chaos.liveness_bound.count() / 1000);
  std::cout << "seed " << chaos.seed << "; replay with: " << replay << std::endl;
  return on_a_stack(
      options, progress,
      [&](StackBackend& stack, const StackEndpoints& endpoints, const StackChoice& choice) {
        chaos.run_id = choice.run_id.empty() ? new_run_id() : choice.run_id;
        chaos.stack = choice.name();
        ChaosData data =
            run_chaos(stack, endpoints, with_converter(connector, choice.converter, endpoints),
                      chaos, progress);
        data.replay = replay;
        data.metadata = nlohmann::json{{"seed", chaos.seed},
                                       {"stack", chaos.stack},
                                       {"faults", chaos.faults},
                                       {"duration_s", chaos.duration.count() / 1000},
                                       {"interval_s", options.interval_s},
                                       {"liveness_bound_s", chaos.liveness_bound.count() / 1000},
                                       {"rate_tps", chaos.load.rate},
                                       {"worker", recorded_worker_settings(options.run_dir)}};
        write_chaos(data, out);
        std::cout << "chaos report written to " << out.string()
                  << "/ (index.html, report.md, report.json)\nreplay with: " << replay << "\n";
        if (data.correct()) return 0;
        std::cerr << "error: changes were lost, invented, reordered or stalled under faults; see "
                  << (out / "report.md").string() << "\n";
        return 1;
      });
}

int cmd_bench(const Options& options) {
  Progress progress;
  if (stack_running(options.run_dir)) {
    throw HarnessError("a stack runs in " + options.run_dir.string() +
                       ": bench times bring-ups of its own; stop it first (`cdc-harness down`) "
                       "or give bench another --run-dir");
  }
  const ConnectorConfig file_connector = load_connector_config(options.connector_file);
  const fs::path out = report_dir(options);
  Options native = options;
  native.stack = "native";  // the comparisons are with tools on this machine
  BenchOptions bench_options;
  bench_options.events = options.events;
  bench_options.load = std::chrono::seconds(options.duration_s ? options.duration_s : 10);
  bench_options.sessions = options.bench_sessions;
  bench_options.scratch = out / "scratch";
  using Clock = std::chrono::steady_clock;
  const auto seconds = [](Clock::time_point from) {
    return std::chrono::duration<double>(Clock::now() - from).count();
  };
  std::vector<double> ups, stacks, downs;
  nlohmann::json bench;
  for (int round = 1; round <= 3; ++round) {
    const auto started = Clock::now();
    Clock::time_point finished;
    on_a_stack(native, progress,
               [&](StackBackend&, const StackEndpoints& endpoints, const StackChoice& choice) {
                 stacks.push_back(seconds(started));  // every process answers
                 const ConnectorConfig connector =
                     with_converter(file_connector, choice.converter, endpoints);
                 start_connector(endpoints, connector, progress);
                 ups.push_back(seconds(started));
                 progress.stage("bench", "bring-up " + std::to_string(round) +
                                             " of 3: streaming after " +
                                             std::to_string(ups.back()) + " s");
                 if (round == 3) {
                   bench = run_bench(endpoints, connector, bench_options, progress);
                   ConnectClient connect(endpoints.connect_url);
                   bench["versions"]["debezium"] =
                       plugin_version(connect, kDebeziumPostgresConnectorClass);
                 }
                 finished = Clock::now();
                 return 0;
               });
    downs.push_back(seconds(finished));
  }
  const auto median = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
  };
  bench["bring_up"] = {{"up_s", ups},
                       {"stack_s", stacks},
                       {"down_s", downs},
                       {"up_median_s", median(ups)},
                       {"stack_median_s", median(stacks)},
                       {"down_median_s", median(downs)}};
  fs::remove_all(bench_options.scratch);
  std::cout << write_bench(bench, out) << "\nbench written to " << out.string()
            << "/ (bench.json, bench.md)\n";
  return 0;
}

namespace {

std::string seconds_text(double seconds) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f s", seconds);
  return text;
}

// "fault connect-crash: in effect 0.3 s after its start, held 0.0 s, healed in 1.2 s, the
// pipeline caught up 4.1 s after the heal"
std::string fault_line(const FaultRecord& r) {
  const auto s = [](int64_t from, int64_t to) {
    return seconds_text(static_cast<double>(to - from) / 1e6);
  };
  return "fault " + r.fault + ": in effect " + s(r.started_us, r.in_effect_us) +
         " after its start, held " + s(r.in_effect_us, r.healing_us) + ", healed in " +
         s(r.healing_us, r.healed_us) + ", the pipeline caught up " +
         s(r.healed_us, r.caught_up_us) + " after the heal";
}

// One run of the files on one stack: the outcomes, printed as they come.
struct FilesRun {
  std::vector<ScenarioOutcome> outcomes{};
  int failed = 0;
};

// Where scenario files run (`run`, `explore`). The connector their connectors start from:
// --connector if given, else the running stack's (the one its `up` registered, or would have
// with --no-connector), else
// debezium/customer-cdc.json.
ScenarioStack scenario_stack(const Options& options, StackBackend& backend,
                             const StackEndpoints& endpoints, const StackChoice& choice) {
  const bool connector_given = options.connector_file != default_connector_file();
  return {backend, endpoints,
          with_converter(!connector_given && fs::exists(RunDir(options.run_dir).connector())
                             ? load_stack_connector(options.run_dir)
                             : load_connector_config(options.connector_file),
                         choice.converter, endpoints),
          choice.run_id.empty() ? new_run_id() : choice.run_id, options.keep_topics};
}

FilesRun run_files(const Options& options, const Progress& progress) {
  FilesRun run;
  on_a_stack(
      options, progress,
      [&](StackBackend& backend, const StackEndpoints& endpoints, const StackChoice& choice) {
        ScenarioStack stack = scenario_stack(options, backend, endpoints, choice);
        for (const auto& file : options.scenario_files) {
          const ScenarioOutcome outcome = run_scenario_file(file, stack, options.record, progress);
          const std::string took = seconds_text(outcome.seconds);
          if (outcome.passed) {
            std::cout << (outcome.recorded ? "RECORDED " : "PASS ") << file.string() << "  ("
                      << outcome.steps << " steps, " << took << ")\n";
            for (const auto& fault : outcome.faults) std::cout << "  " << fault_line(fault) << "\n";
          } else {
            ++run.failed;
            std::cout << "FAIL " << file.string() << "  (" << took << ")\n"
                      << outcome.failure << "\n";
          }
          run.outcomes.push_back(outcome);
        }
        return 0;
      });
  return run;
}

// --versions SET,SET or all: the sets named, each checked before any stack starts.
std::vector<std::string> version_sets_asked(const std::string& flag) {
  std::vector<std::string> names;
  if (flag == "all") {
    for (const auto& set : version_sets()) names.push_back(set.name);
    return names;
  }
  std::istringstream parts(flag);
  for (std::string name; std::getline(parts, name, ',');) {
    if (!name.empty()) names.push_back(version_set_named(name).name);
  }
  return names;
}

// A matrix cell: PASS with the time, or the first line of what went wrong.
std::string matrix_cell(const ScenarioOutcome& outcome) {
  if (outcome.passed) return "pass (" + seconds_text(outcome.seconds) + ")";
  std::string first = outcome.failure.substr(0, outcome.failure.find('\n'));
  std::replace(first.begin(), first.end(), '|', '/');
  return "FAIL: " + first;
}

// The files on each version set in turn, each set on a stack of its own (a run directory
// under DIR/versions/), then set x file as a Markdown table: which versions have it.
int run_files_per_version_set(const Options& options, const Progress& progress) {
  const std::vector<std::string> sets = version_sets_asked(options.versions);
  if (options.record) {
    throw HarnessError(
        "--record rewrites the files from one stack's events: give it one "
        "version set, not " +
        options.versions);
  }
  if (stack_running(options.run_dir)) {
    throw HarnessError("--versions " + options.versions + " brings up a stack per set, but " +
                       options.run_dir.string() +
                       " has one running already: `cdc-harness down` it first, or run with "
                       "one set on it");
  }
  std::vector<std::vector<std::string>> cells;  // [set][file]
  int failed = 0;
  for (const auto& set : sets) {
    progress.stage("versions", "version set " + set + ": a stack of its own for " +
                                   std::to_string(options.scenario_files.size()) + " file(s)");
    Options on_set = options;
    on_set.versions = set;
    on_set.run_dir = options.run_dir / "versions" / set;
    std::vector<std::string> row;
    try {
      const FilesRun run = run_files(on_set, progress);
      for (const auto& outcome : run.outcomes) row.push_back(matrix_cell(outcome));
      failed += run.failed;
    } catch (const HarnessError& e) {
      if (interrupted()) throw;
      // The stack did not come up, or a file could not run on it: the set's row says so.
      std::string what = e.what();
      std::replace(what.begin(), what.end(), '|', '/');
      while (row.size() < options.scenario_files.size()) row.push_back("FAIL: " + what);
      ++failed;
    }
    cells.push_back(std::move(row));
  }
  std::cout << "\n| version set |";
  for (const auto& file : options.scenario_files)
    std::cout << " " << file.filename().string() << " |";
  std::cout << "\n|---|";
  for (size_t i = 0; i < options.scenario_files.size(); ++i) std::cout << "---|";
  std::cout << "\n";
  for (size_t s = 0; s < sets.size(); ++s) {
    const VersionSet& set = version_set_named(sets[s]);
    std::cout << "| " << set.name << " (Debezium " << set.debezium << ", Kafka " << set.kafka
              << ") |";
    for (const auto& cell : cells[s]) std::cout << " " << cell << " |";
    std::cout << "\n";
  }
  return failed == 0 ? 0 : 1;
}

}  // namespace

int cmd_explore(const Options& options) {
  explore::ExploreOptions o;
  o.seed = options.seed;
  o.budget = std::chrono::seconds(options.budget_s);
  o.shrink_budget = std::chrono::seconds(options.shrink_budget_s);
  o.cases = options.cases;
  o.versions = choose_version_set(options.versions);
  o.out = options.out.empty() ? fs::path(CDC_SOURCE_DIR) / "reports" / "out" / "explore" /
                                    ("seed-" + std::to_string(options.seed))
                              : fs::absolute(options.out);
  const auto known = fault_names();
  std::stringstream list(options.explore_faults);
  for (std::string fault; std::getline(list, fault, ',');) {
    if (std::find(known.begin(), known.end(), fault) == known.end())
      throw HarnessError("--faults: no fault '" + fault +
                         "' in the catalogue: see `cdc-harness explore --help`");
    o.space.faults.push_back(fault);
  }
  if (const explore::Focus* focus = explore::focus_named(options.explore_focus))
    focus->apply(o.space);
  if (options.connector_file != default_connector_file())
    o.replay_connector = fs::absolute(options.connector_file).string();
  Progress progress;
  // An earlier exploration's cases and findings must not pass for this one's (only what
  // explore writes goes: --out may name a directory that holds other things).
  for (const char* mine : {"cases", "findings", "explore.json", "explore.md", "index.html"})
    fs::remove_all(o.out / mine);
  explore::ExploreResult result;
  if (options.generate_only) {
    if (o.cases == 0) throw HarnessError("--generate-only needs --cases N: how many to write");
    result = explore::run_exploration(nullptr, o, progress);
  } else {
    on_a_stack(
        options, progress,
        [&](StackBackend& backend, const StackEndpoints& endpoints, const StackChoice& choice) {
          ScenarioStack stack = scenario_stack(options, backend, endpoints, choice);
          result = explore::run_exploration(&stack, o, progress);
          return 0;
        });
  }
  explore::write_explore_report(result, o);
  std::cout << result.cases << " cases, " << result.events_expected << " events expected, "
            << result.findings.size() << " failing; report: " << (o.out / "explore.md").string()
            << "\n";
  for (const auto& f : result.findings) {
    if (f.minimal_file.empty()) continue;
    std::cout << "FAIL case " << f.case_index << ": " << f.original_steps << " steps shrunk to "
              << f.minimal_steps << (f.reproduced ? "; replay: " : "; NOT reproduced: ") << f.replay
              << "\n";
  }
  return result.findings.empty() ? 0 : 1;
}

int cmd_run(const Options& options) {
  if (options.scenario_files.empty()) {
    throw HarnessError("name the scenario files to run: cdc-harness run scenarios/files/*.cdc");
  }
  // A mistake in any file's text ends the run before a stack or a step is touched.
  if (const auto mistakes = check_scenario_files(options.scenario_files, options.record);
      !mistakes.empty()) {
    for (const auto& m : mistakes) std::cerr << "error: " << m << "\n";
    return 2;
  }
  Progress progress;
  if (options.versions == "all" || options.versions.find(',') != std::string::npos) {
    return run_files_per_version_set(options, progress);
  }
  const FilesRun run = run_files(options, progress);
  if (options.scenario_files.size() > 1) {
    std::cout << (options.scenario_files.size() - static_cast<size_t>(run.failed)) << " of "
              << options.scenario_files.size() << " scenario files passed\n";
  }
  return run.failed == 0 ? 0 : 1;
}

}  // namespace cdc::cli
