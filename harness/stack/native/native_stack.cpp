#include "harness/stack/native/native_stack.hpp"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <future>
#include <mutex>
#include <optional>
#include <sstream>

#include "harness/common/errors.hpp"
#include "harness/common/files.hpp"
#include "harness/common/process.hpp"
#include "harness/common/run_dir.hpp"
#include "harness/common/timeouts.hpp"
#include "harness/common/wait.hpp"
#include "harness/stack/native/connect_worker.hpp"
#include "harness/stack/native/java_service.hpp"
#include "harness/stack/native/kafka_broker.hpp"
#include "harness/stack/native/native_state.hpp"
#include "harness/stack/native/postgres_server.hpp"
#include "harness/stack/native/schema_registry_server.hpp"
#include "harness/stack/native/toolchain.hpp"
#include "harness/stack/native/toxiproxy_server.hpp"
#include "harness/stack/ports.hpp"
#include "harness/stack/stack_choice.hpp"
#include "harness/stack/toxiproxy_client.hpp"

namespace cdc::native {
namespace fs = std::filesystem;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

// Stops a process the state file records, if it was spawned; false when it had to be killed.
bool stop_recorded_process(const std::optional<RecordedProcess>& recorded,
                           std::chrono::milliseconds grace) {
  return !recorded || !recorded->pid || stop_process(recorded->pid, recorded->marker, grace);
}

std::string loopback(int port) {
  return "127.0.0.1:" + std::to_string(port);
}

// "kafka" when there is one; "kafka-1", "kafka-2", … of several.
std::string node_name(const std::string& component, int index, int count) {
  return count == 1 ? component : component + "-" + std::to_string(index);
}

// The proxy in front of broker `index`'s Connect listener.
std::string kafka_proxy(int index) {
  return index == 1 ? kKafkaProxy : std::string(kKafkaProxy) + "-" + std::to_string(index);
}

// How Connect reaches Postgres: the same role, through the proxy's port.
PostgresEndpoint through_proxy(PostgresEndpoint role, int proxy_port) {
  role.port = proxy_port;
  return role;
}

class NativeStack final : public StackBackend {
 public:
  NativeStack(fs::path run_dir, Topology topology, std::string versions, bool connect_defaults,
              bool schema_registry)
      : run_dir_(fs::absolute(run_dir)),
        topology_(topology),
        versions_(std::move(versions)),
        connect_defaults_(connect_defaults),
        schema_registry_(schema_registry),
        state_(RunDir(run_dir_).native_state()) {}

  StackEndpoints up(const Progress& progress) override {
    const Toolchain tools = locate_toolchain(versions_, schema_registry_);
    prepare_run_dir();
    state_.update([&](NativeState& s) {
      s.run_dir = run_dir_.string();
      s.owner_pid = ::getpid();
    });
    try {
      return bring_up(tools, progress);
    } catch (const Interrupted&) {
      progress.stage("stack", "interrupted: stopping what was started");
      down(Progress(true));
      throw;
    } catch (...) {
      progress.stage("stack", "bring-up failed: stopping what was started");
      down(Progress(true));
      throw;
    }
  }

  void down(const Progress& progress) override {
    const NativeState state = state_.load();
    const auto grace = scaled(30s);
    // A component's nodes stop side by side: a cluster's last brokers would otherwise each
    // wait for a quorum that the others took with them. Even so, one voter is left last, as
    // the quorum's leader, and Kafka's Raft client gives a leader's graceful shutdown 5 s to
    // hand over to a successor that will not come: the last of several gets 1 s once the
    // others are gone (its data goes with the stack).
    const auto stop_nodes = [&](Component component) {
      const bool quorum = component == Component::Kafka;
      const std::vector<RecordedProcess> nodes = state.nodes(component);
      std::atomic<size_t> running = nodes.size();
      std::mutex mutex;
      std::optional<std::chrono::steady_clock::time_point> others_gone;
      const auto last_one_lingers = [&] {
        if (!quorum || nodes.size() < 2 || running.load() > 1) return false;
        const std::lock_guard lock(mutex);
        const auto now = std::chrono::steady_clock::now();
        if (!others_gone) others_gone = now;
        return now - *others_gone > scaled(1s);
      };
      std::vector<std::future<void>> stopping;
      for (const RecordedProcess& node : nodes) {
        stopping.push_back(std::async(std::launch::async, [&, node] {
          progress.stage(node.name, "stopping");
          const std::optional<std::string> killed = stop_node(node, grace, last_one_lingers);
          const bool graceful = !killed;
          --running;
          if (killed)
            progress.stage(node.name, quorum && running.load() == 0 && nodes.size() > 1
                                          ? "the last of its cluster, waiting for a successor: "
                                            "killed"
                                          : *killed);
          promote_class_archive(node.class_dump, graceful);
        }));
      }
      for (auto& stopped : stopping) stopped.get();
    };
    stop_nodes(Component::Connect);
    for (const auto& [name, recorded] :
         {std::pair{"registry", state.schema_registry}, std::pair{"toxiproxy", state.toxiproxy}}) {
      if (!recorded || !recorded->pid) continue;
      progress.stage(name, "stopping");
      stop_recorded_process(recorded, grace);
    }
    // Nothing left needs both: Kafka and Postgres stop side by side.
    std::future<void> postgres_stopped;
    if (state.postgres) {
      postgres_stopped = std::async(std::launch::async, [&] {
        progress.stage("postgres", "stopping");
        const PostgresServer& pg = *state.postgres;
        // A paused Postgres (a fault, or a run that died mid-fault) must run to shut down; its
        // children would otherwise stay stopped after the postmaster is gone.
        for (const int pid : postgres_processes(pg)) ::kill(pid, SIGCONT);
        stop_postgres(pg);
      });
    }
    stop_nodes(Component::Kafka);
    if (postgres_stopped.valid()) postgres_stopped.get();
    sweep_strays(progress);
    // Data goes; logs stay for whoever wants to read what happened.
    if (state.postgres) {
      const PostgresServer& pg = *state.postgres;
      const fs::path kept_log = RunDir(run_dir_).log("postgres");
      std::error_code ec;
      if (pg.log != kept_log && fs::exists(pg.log, ec)) {
        fs::copy_file(pg.log, kept_log, fs::copy_options::overwrite_existing, ec);
      }
      fs::remove_all(pg.dir, ec);
    }
    const RunDir dir(run_dir_);
    for (const char* component : {"postgres", "kafka", "connect", "toxiproxy", "schema-registry"})
      fs::remove_all(dir.component_dir(component));
    for (const Component component : {Component::Kafka, Component::Connect}) {
      for (const RecordedProcess& node : state.nodes(component))
        fs::remove_all(dir.component_dir(node.name));
    }
    fs::remove_all(dir.secrets());
    fs::remove(dir.endpoints());
    fs::remove(dir.connector());
    fs::remove(dir.native_state());
  }

  std::vector<ComponentStatus> status() const override {
    const NativeState state = state_.load();
    std::vector<ComponentStatus> out;
    if (state.postgres) {
      out.push_back({"postgres", postgres_running(*state.postgres),
                     "127.0.0.1:" + std::to_string(state.postgres->port)});
    } else {
      out.push_back({"postgres", false, "not started"});
    }
    const auto add = [&](const std::string& name, const RecordedProcess& c) {
      out.push_back(
          {name, is_alive(c.pid, c.marker), c.endpoint + " (pid " + std::to_string(c.pid) + ")"});
    };
    for (const Component component : {Component::Kafka, Component::Connect}) {
      const auto nodes = state.nodes(component);
      if (nodes.empty()) out.push_back({to_string(component), false, "not started"});
      for (const RecordedProcess& node : nodes) add(node.name, node);
    }
    if (state.toxiproxy) {
      add("toxiproxy", *state.toxiproxy);
    } else {
      out.push_back({"toxiproxy", false, "not started"});
    }
    if (state.schema_registry) {
      add("registry", *state.schema_registry);
    } else if (schema_registry_) {
      out.push_back({"registry", false, "not started"});
    }
    return out;
  }

  std::vector<std::string> node_endpoints(Component component) const override {
    std::vector<std::string> endpoints;
    if (component == Component::Postgres) return endpoints;
    for (const RecordedProcess& node : state_.load().nodes(component))
      endpoints.push_back(node.endpoint);
    return endpoints;
  }

  int nodes(Component component) const override {
    if (component == Component::Postgres) return 1;
    return std::max<int>(1, static_cast<int>(state_.load().nodes(component).size()));
  }

  bool has_leftovers() const override { return state_.exists(); }

  void act_on(Component component, ComponentAction action, const Progress& progress) override {
    act_on_node(component, 1, action, progress);
  }

  void act_on_node(Component component, int node, ComponentAction action,
                   const Progress& progress) override {
    const NativeState state = state_.load();
    const std::string component_name = to_string(component);
    if (component == Component::Postgres ? !state.postgres : state.nodes(component).empty()) {
      throw HarnessError("no " + component_name + " in the native stack of " + run_dir_.string() +
                         ": bring the stack up first (`cdc-harness up --detach`)");
    }
    if (component == Component::Postgres) {
      if (node != 1) StackBackend::act_on_node(component, node, action, progress);
      progress.stage(component_name, to_string(action));
      act_on_postgres(*state.postgres, action);
      return;
    }
    const auto nodes = state.nodes(component);
    if (node < 1 || node > static_cast<int>(nodes.size())) {
      throw HarnessError("the native stack of " + run_dir_.string() + " runs " +
                         std::to_string(nodes.size()) + " " + component_name + " node(s), so " +
                         component_name + " " + std::to_string(node) + " is not one of them");
    }
    const RecordedProcess& recorded = nodes[static_cast<size_t>(node - 1)];
    const std::string& name = recorded.name;
    progress.stage(name, to_string(action));
    const int pid = recorded.pid;
    const std::string& marker = recorded.marker;
    const bool alive = is_alive(pid, marker);
    if (action == ComponentAction::Start) {
      if (alive) throw HarnessError(name + " runs already (pid " + std::to_string(pid) + ")");
      relaunch(component, node, recorded, progress);
      return;
    }
    if (!alive) {
      throw HarnessError("cannot " + to_string(action) + " " + name + ": it does not run (pid " +
                         std::to_string(pid) + " is gone); start it first");
    }
    switch (action) {
      case ComponentAction::Stop:
        if (const auto killed = stop_node(recorded, scaled(30s))) progress.stage(name, *killed);
        break;
      case ComponentAction::Kill:
        signal_and_wait(name, {pid}, SIGKILL);
        break;
      case ComponentAction::Pause:
        signal_and_wait(name, {pid}, SIGSTOP);
        break;
      case ComponentAction::Resume:
        signal_and_wait(name, {pid}, SIGCONT);
        break;
      case ComponentAction::Start:
        break;
    }
  }

 private:
  // A server whose pid never reached state.json (the harness died between spawn and
  // record) is still ours if its command line points into the run directory.
  void sweep_strays(const Progress& progress) const {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator("/proc", ec)) {
      const std::string name = entry.path().filename().string();
      if (name.find_first_not_of("0123456789") != std::string::npos) continue;
      const int pid = std::stoi(name);
      std::ifstream comm_file(entry.path() / "comm");
      std::string comm;
      std::getline(comm_file, comm);
      // (comm is cut at 15 characters: toxiproxy-server shows as toxiproxy-serve)
      if (comm != "java" && comm != "postgres" && comm != "toxiproxy-serve") continue;
      // A path inside the directory, not its name's prefix: run/faults is not run/faults-2.
      const std::string inside = (run_dir_ / "").string();
      if (!is_alive(pid, inside)) continue;
      progress.stage("stack", "stopping stray " + comm + " (pid " + std::to_string(pid) +
                                  ") of this run directory");
      stop_process(pid, inside, scaled(10s));
    }
  }

  // Sends `sig` to each process and waits until it took effect: gone after SIGKILL, stopped
  // ('T') after SIGSTOP, running after SIGCONT.
  static void signal_and_wait(const std::string& name, const std::vector<int>& pids, int sig) {
    for (const int pid : pids) ::kill(pid, sig);
    const char* want = sig == SIGKILL ? "gone" : sig == SIGSTOP ? "stopped" : "running";
    cdc::wait_for(name + " to be " + want + " after " +
                      (sig == SIGKILL   ? "SIGKILL"
                       : sig == SIGSTOP ? "SIGSTOP"
                                        : "SIGCONT"),
                  scaled(10s), [&] {
                    for (const int pid : pids) {
                      const char state = process_state(pid);
                      // Gone means reaped: a zombie still holds its pid, and Postgres takes
                      // a live pid in postmaster.pid for a running server.
                      const bool there = sig == SIGKILL ? state == 0
                                         : sig == SIGSTOP
                                             ? state == 'T' || state == 'Z' || state == 0
                                             : state != 'T';
                      if (!there)
                        return Probe<bool>::not_yet("pid " + std::to_string(pid) + " in state " +
                                                    std::string(1, state));
                    }
                    return Probe<bool>::ready(true);
                  });
  }

  void act_on_postgres(const PostgresServer& pg, ComponentAction action) {
    const auto processes = postgres_processes(pg);
    if (action == ComponentAction::Start) {
      if (!processes.empty()) throw HarnessError("postgres runs already");
      launch_postgres(pg, load_endpoints(run_dir_).admin);
      return;
    }
    if (processes.empty()) {
      throw HarnessError("cannot " + to_string(action) +
                         " postgres: it does not run; start it first");
    }
    switch (action) {
      case ComponentAction::Stop:
        stop_postgres(pg);
        break;
      case ComponentAction::Kill:  // every process at once, as a machine crash would
        signal_and_wait("postgres", processes, SIGKILL);
        break;
      case ComponentAction::Pause:
        signal_and_wait("postgres", processes, SIGSTOP);
        break;
      case ComponentAction::Resume:
        signal_and_wait("postgres", processes, SIGCONT);
        break;
      case ComponentAction::Start:
        break;
    }
  }

  void switch_versions(const std::string& version_set, const Progress& progress) override {
    // The set exists, its jars too.
    const Toolchain tools = locate_toolchain(version_set, schema_registry_);
    const auto workers = state_.load().nodes(Component::Connect);
    if (workers.empty()) {
      throw HarnessError("no Connect worker in the native stack of " + run_dir_.string() +
                         ": bring the stack up first (`cdc-harness up --detach`)");
    }
    // All stop before any starts: one group never runs two versions at once.
    for (const RecordedProcess& worker : workers) {
      progress.stage(worker.name, "stopping, to start again on version set " + version_set);
      if (const auto killed = stop_node(worker, scaled(30s))) progress.stage(worker.name, *killed);
    }
    versions_ = tools.version_set;
    // Recorded, so that later starts, `status` and `down` know the stack's versions.
    if (auto choice = load_stack_choice(run_dir_)) {
      choice->versions = versions_;
      save_stack_choice(run_dir_, *choice);
    }
    const RunDir dir(run_dir_);
    for (size_t i = 0; i < workers.size(); ++i) {
      const RecordedProcess& worker = workers[i];
      const fs::path config = dir.component_dir(worker.name) / "worker.properties";
      std::istringstream lines(read_file(config));
      std::string rewritten;
      for (std::string line; std::getline(lines, line);) {
        if (line.rfind("plugin.path=", 0) == 0) line = "plugin.path=" + connect_plugin_path(tools);
        rewritten += line + "\n";
      }
      write_file(config, rewritten);
      relaunch(Component::Connect, static_cast<int>(i) + 1, worker, progress);
    }
  }

  // A broker or worker again, from the configuration and data it has, on the same ports.
  void relaunch(Component component, int node, const RecordedProcess& recorded,
                const Progress& progress) {
    const Toolchain tools = locate_toolchain(versions_, schema_registry_);
    const RunDir dir(run_dir_);
    const std::string component_name = to_string(component);
    const std::string& name = recorded.name;
    keep_log(dir.log(name));
    const auto on_spawned = [&](int pid) {
      state_.update([&](NativeState& s) { s.node(component, node).pid = pid; });
    };
    // A relaunch maps the archive if there is one, and writes none: a fault's restarts would
    // each leave a dump behind.
    const ClassArchive classes = class_archive(tools, component_name);
    const auto existing_archive = [](const ClassArchive& c) {
      return fs::exists(c.archive) ? &c : nullptr;
    };
    if (component == Component::Kafka) {
      KafkaBroker broker{dir.component_dir(name), dir.log(name), recorded.port,
                         recorded.controller_port};
      broker.name = name;
      launch_kafka(tools, broker, on_spawned, existing_archive(classes));
    } else {
      const StackEndpoints endpoints = load_endpoints(run_dir_);
      const NativeState state = state_.load();
      if (!state.toxiproxy)
        throw HarnessError("the state file records no Toxiproxy, so no proxies");
      const auto proxy = [&](const std::string& in_front_of) {
        const auto found = state.toxiproxy->proxies.find(in_front_of);
        if (found == state.toxiproxy->proxies.end())
          throw HarnessError("the state file records no proxy in front of " + in_front_of);
        return found->second;
      };
      const std::string bootstrap = recorded.bootstrap.empty()
                                        ? "127.0.0.1:" + std::to_string(proxy("kafka"))
                                        : recorded.bootstrap;
      ConnectWorker worker{dir.component_dir(name), dir.log(name), bootstrap, recorded.port,
                           through_proxy(endpoints.debezium, proxy("postgres"))};
      worker.name = name;
      worker.metrics_port = recorded.metrics_port;
      launch_connect(tools, worker, progress, on_spawned, existing_archive(classes));
    }
  }

  // A relaunch writes its log afresh: what the earlier process wrote is kept beside it.
  static void keep_log(const fs::path& log) {
    std::error_code ec;
    if (!fs::exists(log, ec)) return;
    for (int n = 1;; ++n) {
      const fs::path kept = log.parent_path() / (log.stem().string() + "." + std::to_string(n) +
                                                 log.extension().string());
      if (!fs::exists(kept, ec)) {
        fs::rename(log, kept, ec);
        return;
      }
    }
  }

  // Stops the JVMs the state file records for a component (a failed start may have left
  // them half up).
  void stop_recorded(Component component) {
    for (const RecordedProcess& node : state_.load().nodes(component))
      stop_process(node.pid, node.marker, scaled(10s));
  }

  // Stops a Kafka or Connect node (a JVM). One that hangs past `grace` has its threads dumped
  // into its log before the kill, and the log kept apart (the next `up` empties logs/).
  // Nothing when it stopped; else the line that reports the kill, saying where to look.
  std::optional<std::string> stop_node(const RecordedProcess& node, std::chrono::milliseconds grace,
                                       const std::function<bool()>& waiting_is_pointless = {}) {
    const RunDir dir(run_dir_);
    std::string why = "waiting was pointless";
    const bool stopped = stop_process(node.pid, node.marker, grace, waiting_is_pointless, [&] {
      if (!dump_threads(node.pid, dir.log(node.name))) {
        why = "it wrote no thread dump either";
        return;
      }
      std::error_code ec;
      fs::create_directories(dir.hung_log(node.name).parent_path(), ec);
      fs::copy_file(dir.log(node.name), dir.hung_log(node.name),
                    fs::copy_options::overwrite_existing, ec);
      why = "its threads are in " + (ec ? dir.log(node.name) : dir.hung_log(node.name)).string();
    });
    if (stopped) return std::nullopt;
    return "did not stop in time (" + why + "): killed";
  }

  void prepare_run_dir() {
    fs::create_directories(run_dir_);
    const RunDir dir(run_dir_);
    fs::remove_all(dir.logs());
    fs::create_directories(dir.logs());
    fs::create_directories(dir.secrets());
    fs::permissions(dir.secrets(), fs::perms::owner_all);
  }

  // The stack, component by component: Toxiproxy first (Connect reaches Postgres and the
  // brokers through its proxies, and each broker advertises the proxy in front of Connect's
  // listener), then Postgres, the brokers, the registry and the Connect workers side by side:
  // JVM start-up is most of the time, Connect retries the brokers until they answer, and it
  // reaches Postgres only once a connector is registered.
  StackEndpoints bring_up(const Toolchain& tools, const Progress& progress) {
    StackEndpoints endpoints;
    set_harness_roles(endpoints, "127.0.0.1", pick_free_port(dir().native_state()), "postgres");
    PostgresServer pg = postgres_server(tools, endpoints.admin.port, progress);
    state_.update([&](NativeState& s) { s.postgres = pg; });

    const std::string toxiproxy_url = start_toxiproxy_server(tools, progress);
    endpoints.toxiproxy_url = toxiproxy_url;
    const int postgres_proxy = make_proxy(toxiproxy_url, kPostgresProxy, "postgres", pg.port);
    std::vector<KafkaBroker> brokers = kafka_brokers(toxiproxy_url);
    std::string connect_bootstrap;
    for (const auto& broker : brokers) {
      connect_bootstrap +=
          (connect_bootstrap.empty() ? "" : ",") + loopback(broker.connect_advertised_port);
    }
    std::vector<ConnectWorker> workers =
        connect_workers(connect_bootstrap, through_proxy(endpoints.debezium, postgres_proxy));
    SchemaRegistryServer registry{dir().component_dir("schema-registry"),
                                  dir().log("schema-registry"), 0};

    auto postgres_ready = std::async(std::launch::async, [&] {
      start_postgres_server(pg, endpoints, toxiproxy_url, tools.pg_templates, progress);
    });
    auto registry_ready = std::async(std::launch::async, [&] {
      if (schema_registry_) start_registry(tools, registry, progress);
    });
    auto kafka_ready = std::async(std::launch::async,
                                  [&] { start_brokers(tools, brokers, toxiproxy_url, progress); });
    bool postgres_joined = false, kafka_joined = false, registry_joined = false;
    try {
      start_workers(tools, workers, progress, [&] {
        if (!kafka_joined) {
          kafka_joined = true;
          kafka_ready.get();
        }
      });
      endpoints.connect_url = workers[0].url();
      for (const auto& worker : workers)
        endpoints.connect_metrics_urls.push_back(worker.metrics_url());
      postgres_joined = true;
      postgres_ready.get();
      registry_joined = true;
      registry_ready.get();
      if (schema_registry_) endpoints.schema_registry_url = registry.url();
      for (const auto& broker : brokers) {
        endpoints.kafka_bootstrap +=
            (endpoints.kafka_bootstrap.empty() ? "" : ",") + broker.bootstrap();
      }
    } catch (...) {
      // Let the others finish (or fail) before the caller tears everything down.
      const auto settle = [](bool joined, std::future<void>& started) {
        try {
          if (!joined) started.get();
        } catch (...) {
        }
      };
      settle(postgres_joined, postgres_ready);
      settle(kafka_joined, kafka_ready);
      settle(registry_joined, registry_ready);
      throw;
    }
    // Only a stack that is up has endpoints: `down` and scenarios never see half of one.
    save_endpoints(run_dir_, endpoints);
    return endpoints;
  }

  RunDir dir() const { return RunDir(run_dir_); }

  // Postgres's server in the run directory, or where its OS user can reach it.
  PostgresServer postgres_server(const Toolchain& tools, int port, const Progress& progress) {
    PostgresServer pg{tools.pg_bindir, tools.pg_os_user, dir().component_dir("postgres"),
                      dir().log("postgres"), port};
    if (tools.pg_os_user && !reachable_by_others(run_dir_)) {
      // Root runs Postgres as another user, who cannot reach this run directory (e.g. under
      // /root): its data and log go to a directory of their own under /tmp instead.
      pg.dir = fs::temp_directory_path() /
               ("cdc-harness-pg-" + std::to_string(std::hash<std::string>{}(run_dir_.string())));
      fs::remove_all(pg.dir);
      pg.log = pg.dir / "postgres.log";
      progress.stage("postgres", "user " + *tools.pg_os_user + " cannot reach " +
                                     run_dir_.string() + ": its data and log go to " +
                                     pg.dir.string());
    }
    return pg;
  }

  // Toxiproxy on a free port; returns its API's URL.
  std::string start_toxiproxy_server(const Toolchain& tools, const Progress& progress) {
    ToxiproxyServer toxiproxy{dir().component_dir("toxiproxy"), dir().log("toxiproxy"), 0};
    const std::string marker = (toxiproxy.dir / "proxies.json").string();
    start_on_free_ports("toxiproxy", toxiproxy.log, progress, [&](int attempt) {
      if (attempt > 1) stop_recorded_process(state_.load().toxiproxy, scaled(10s));
      toxiproxy.port = pick_free_port(dir().native_state());
      progress.stage("toxiproxy", "starting, API on " + toxiproxy.url());
      cdc::native::start_toxiproxy(tools, toxiproxy, [&](int pid) {
        state_.update([&](NativeState& s) {
          s.toxiproxy = RecordedProcess{.pid = pid,
                                        .marker = marker,
                                        .name = "toxiproxy",
                                        .endpoint = toxiproxy.url(),
                                        .port = toxiproxy.port};
        });
      });
    });
    return toxiproxy.url();
  }

  // A proxy, recorded by what it stands in front of: relaunches and faults look it up so.
  // Each thread talks to Toxiproxy through a client of its own.
  int make_proxy(const std::string& toxiproxy_url, const std::string& name,
                 const std::string& in_front_of, int upstream_port) {
    const int port = ToxiproxyClient(toxiproxy_url).create_proxy(name, loopback(upstream_port));
    state_.update([&](NativeState& s) {
      if (s.toxiproxy) s.toxiproxy->proxies[in_front_of] = port;
    });
    return port;
  }

  // The brokers of the topology, each Connect listener behind a proxy it advertises.
  std::vector<KafkaBroker> kafka_brokers(const std::string& toxiproxy_url) {
    std::vector<KafkaBroker> brokers(static_cast<size_t>(topology_.brokers));
    const std::string cluster_id = brokers.size() > 1 ? new_cluster_id() : "";
    for (size_t i = 0; i < brokers.size(); ++i) {
      KafkaBroker& broker = brokers[i];
      const int node = static_cast<int>(i) + 1;
      broker.name = node_name("kafka", node, topology_.brokers);
      broker.dir = dir().component_dir(broker.name);
      broker.log = dir().log(broker.name);
      broker.node_id = node;
      broker.cluster_id = cluster_id;
      broker.replication_factor = topology_.replication_factor();
      broker.min_insync_replicas = topology_.min_insync_replicas();
      broker.connect_port = pick_free_port(dir().native_state());
      broker.connect_advertised_port =
          make_proxy(toxiproxy_url, kafka_proxy(node), broker.name, broker.connect_port);
    }
    return brokers;
  }

  std::vector<ConnectWorker> connect_workers(const std::string& bootstrap,
                                             const PostgresEndpoint& postgres) const {
    std::vector<ConnectWorker> workers(static_cast<size_t>(topology_.workers));
    for (size_t i = 0; i < workers.size(); ++i) {
      ConnectWorker& worker = workers[i];
      worker.name = node_name("connect", static_cast<int>(i) + 1, topology_.workers);
      worker.dir = dir().component_dir(worker.name);
      worker.log = dir().log(worker.name);
      worker.bootstrap = bootstrap;
      worker.postgres = postgres;
      worker.replication_factor = topology_.replication_factor();
      worker.connect_defaults = connect_defaults_;
    }
    return workers;
  }

  // initdb, start, provision; a port taken meanwhile moves it, the roles and its proxy.
  void start_postgres_server(PostgresServer& pg, StackEndpoints& endpoints,
                             const std::string& toxiproxy_url, const fs::path& templates,
                             const Progress& progress) {
    start_on_free_ports("postgres", pg.log, progress, [&](int attempt) {
      if (attempt > 1) {
        stop_postgres(pg);
        fs::remove_all(pg.data_dir());
        pg.port = pick_free_port(dir().native_state());
        for (auto* role : {&endpoints.admin, &endpoints.app, &endpoints.debezium})
          role->port = pg.port;
        state_.update([&](NativeState& s) { s.postgres = pg; });
        ToxiproxyClient(toxiproxy_url).set_upstream(kPostgresProxy, loopback(pg.port));
      }
      progress.stage("postgres", "starting on 127.0.0.1:" + std::to_string(pg.port));
      cdc::native::start_postgres(pg, endpoints.admin, templates, progress);
    });
    provision_postgres(endpoints, fs::path(CDC_SOURCE_DIR) / "postgres" / "init.sql");
    progress.stage("postgres", "ready, postgres/init.sql applied");
  }

  // The registry (with --converter avro): Connect's converter reaches it only once a
  // connector writes.
  void start_registry(const Toolchain& tools, SchemaRegistryServer& registry,
                      const Progress& progress) {
    start_on_free_ports("schema-registry", registry.log, progress, [&](int attempt) {
      if (attempt > 1) stop_recorded_process(state_.load().schema_registry, scaled(10s));
      registry.port = pick_free_port(dir().native_state());
      progress.stage("registry",
                     "starting Apicurio Registry " CDC_APICURIO_VERSION " on " + registry.url());
      start_schema_registry(tools, registry, [&](int pid) {
        state_.update([&](NativeState& s) {
          s.schema_registry = RecordedProcess{.pid = pid,
                                              .marker = registry.dir.string(),
                                              .endpoint = registry.url(),
                                              .port = registry.port};
        });
      });
    });
    progress.stage("registry",
                   "ready, Confluent-compatible API on " + registry.url() + "/apis/ccompat/v7");
  }

  // The KRaft nodes, side by side: each waits for a quorum of the others' controllers.
  void start_brokers(const Toolchain& tools, std::vector<KafkaBroker>& brokers,
                     const std::string& toxiproxy_url, const Progress& progress) {
    const ClassArchive classes = class_archive(tools, "kafka");
    std::vector<fs::path> logs;
    for (const auto& broker : brokers) logs.push_back(broker.log);
    start_on_free_ports("kafka", logs, progress, [&](int attempt) {
      if (attempt > 1) {
        stop_recorded(Component::Kafka);
        for (size_t i = 0; i < brokers.size(); ++i) {
          brokers[i].connect_port = pick_free_port(dir().native_state());
          ToxiproxyClient(toxiproxy_url)
              .set_upstream(kafka_proxy(static_cast<int>(i) + 1),
                            loopback(brokers[i].connect_port));
        }
      }
      // Every node knows every controller: all ports are picked before any node starts.
      std::string voters;
      for (auto& broker : brokers) {
        fs::remove_all(broker.dir);
        broker.port = pick_free_port(dir().native_state());
        broker.controller_port = pick_free_port(dir().native_state());
        voters += (voters.empty() ? "" : ",") + broker.controller();
      }
      std::vector<std::future<void>> starting;
      for (size_t i = 0; i < brokers.size(); ++i) {
        brokers[i].voters = brokers.size() > 1 ? voters : "";
        starting.push_back(std::async(std::launch::async, [&, i] {
          KafkaBroker& broker = brokers[i];
          progress.stage(broker.name, "starting KRaft node " + std::to_string(broker.node_id) +
                                          " on " + broker.bootstrap() +
                                          " (Connect's listener behind the proxy on port " +
                                          std::to_string(broker.connect_advertised_port) + ")");
          const std::string marker = (broker.dir / "server.properties").string();
          start_kafka(
              tools, broker, progress,
              [&, i, marker](int pid) {
                state_.update([&](NativeState& s) {
                  s.node(Component::Kafka, static_cast<int>(i) + 1) =
                      RecordedProcess{.pid = pid,
                                      .marker = marker,
                                      .name = broker.name,
                                      .endpoint = broker.bootstrap(),
                                      .port = broker.port,
                                      .controller_port = broker.controller_port,
                                      .node_id = broker.node_id,
                                      .class_dump = classes.dump.string()};
                });
              },
              &classes);
        }));
      }
      join_all(starting);
    });
    progress.stage("kafka", brokers.size() == 1
                                ? "broker ready"
                                : std::to_string(brokers.size()) +
                                      " brokers ready, replication factor " +
                                      std::to_string(brokers[0].replication_factor));
  }

  // The Connect workers: spawned at once, awaited once the brokers are up (`brokers_up`).
  void start_workers(const Toolchain& tools, std::vector<ConnectWorker>& workers,
                     const Progress& progress, const std::function<void()>& brokers_up) {
    const ClassArchive classes = class_archive(tools, "connect");
    std::vector<fs::path> logs;
    for (const auto& worker : workers) logs.push_back(worker.log);
    start_on_free_ports("connect", logs, progress, [&](int attempt) {
      if (attempt > 1) stop_recorded(Component::Connect);
      std::vector<int> pids;
      for (size_t i = 0; i < workers.size(); ++i) {
        ConnectWorker& worker = workers[i];
        worker.port = pick_free_port(dir().native_state());
        worker.metrics_port = pick_free_port(dir().native_state());
        progress.stage(worker.name, "starting worker, REST on " + worker.url() +
                                        (connect_defaults_ ? ", with Connect's defaults" : ""));
        const std::string marker = (worker.dir / "worker.properties").string();
        pids.push_back(spawn_connect(
            tools, worker, progress,
            [&, i, marker](int spawned) {
              state_.update([&](NativeState& s) {
                s.node(Component::Connect, static_cast<int>(i) + 1) =
                    RecordedProcess{.pid = spawned,
                                    .marker = marker,
                                    .name = worker.name,
                                    .endpoint = worker.url(),
                                    .port = worker.port,
                                    .metrics_port = worker.metrics_port,
                                    .bootstrap = worker.bootstrap,
                                    .class_dump = classes.dump.string()};
              });
            },
            &classes));
      }
      brokers_up();
      for (size_t i = 0; i < workers.size(); ++i) await_connect(tools, workers[i], pids[i]);
    });
    progress.stage("connect", (workers.size() == 1 ? std::string("REST ready")
                                                   : std::to_string(workers.size()) +
                                                         " workers in one group, REST ready") +
                                  ", Debezium's Postgres connector is on the plugin path");
  }

  // Waits for every start, then rethrows the first failure: none is left running unseen.
  static void join_all(std::vector<std::future<void>>& starting) {
    std::exception_ptr failed;
    for (auto& started : starting) {
      try {
        started.get();
      } catch (...) {
        if (!failed) failed = std::current_exception();
      }
    }
    if (failed) std::rethrow_exception(failed);
  }

  std::string worker_log() const override {
    const fs::path log = RunDir(run_dir_).log(node_name("connect", 1, topology_.workers));
    std::error_code ec;
    return fs::exists(log, ec) ? read_file(log) : "";
  }

  // debezium/worker.properties' setting, or Connect's default with --connect-defaults.
  long intended_offset_flush_ms() const override {
    if (connect_defaults_) return 60000;
    const std::string settings =
        read_file(fs::path(CDC_SOURCE_DIR) / "debezium" / "worker.properties");
    const std::string key = "\noffset.flush.interval.ms=";
    const auto at = settings.find(key);
    return at == std::string::npos ? 60000 : std::atol(settings.c_str() + at + key.size());
  }

  fs::path run_dir_;
  Topology topology_;
  std::string versions_;   // the version set ("" for the default)
  bool connect_defaults_;  // workers with Connect's defaults (--connect-defaults)
  bool schema_registry_;   // a schema registry and the Avro converter (--converter avro)
  StateFile state_;
};

}  // namespace

std::unique_ptr<StackBackend> make_native_backend(const fs::path& run_dir, const Topology& topology,
                                                  const std::string& versions,
                                                  bool connect_defaults, bool schema_registry) {
  return std::make_unique<NativeStack>(run_dir, topology, versions, connect_defaults,
                                       schema_registry);
}

}  // namespace cdc::native
