#include "harness/experiment/report_run.hpp"

#include <atomic>
#include <pqxx/pqxx>
#include <random>
#include <thread>

#include "harness/common/errors.hpp"
#include "harness/common/process_usage.hpp"

#include "harness/checkers/change_checks.hpp"
#include "harness/connector/connect_client.hpp"
#include "harness/connector/connector_handle.hpp"
#include "harness/connector/connector_lifecycle.hpp"
#include "harness/connector/rendering_rules.hpp"
#include "harness/experiment/step_check.hpp"
#include "harness/observer/topic_observer.hpp"
#include "harness/stack/stack_probes.hpp"
#include "harness/workload/customers_workload.hpp"

namespace cdc {
using nlohmann::json;

std::vector<ConnectorProfile> builtin_profiles() {
  return {
      {"debezium-defaults",
       "Debezium's and Kafka's defaults: poll.interval.ms=500, producer linger.ms=5",
       json{{"poll.interval.ms", "500"}, {"producer.override.linger.ms", "5"}}},
      {"low-latency", "poll.interval.ms=10 and producer linger.ms=0",
       json{{"poll.interval.ms", "10"}, {"producer.override.linger.ms", "0"}}},
  };
}

ConnectorConfig profile_connector(const ConnectorConfig& base, const ConnectorProfile& profile,
                                  const std::string& tag) {
  ConnectorConfig connector = isolated_copy(base, tag);
  for (const auto& [key, value] : profile.overrides.items()) {
    if (value.is_null()) {
      connector.config.erase(key);
    } else {
      connector.config[key] = value;
    }
  }
  return connector;
}

namespace {

std::string run_tag() {
  std::random_device random;
  return "report" + std::to_string(random() % 100000);
}

json redacted(const json& config) {
  json out = config;
  for (auto& [key, value] : out.items()) {
    if (key.find("password") != std::string::npos) value = "[redacted]";
  }
  return out;
}

json metadata(const StackEndpoints& endpoints, const ConnectorConfig& base,
              const ReportOptions& options) {
  ConnectClient connect(endpoints.connect_url);
  const json worker = json::parse(connect.get("/").body, nullptr, false);
  const std::string debezium = plugin_version(connect, kDebeziumPostgresConnectorClass);
  json rates = json::array();
  for (double r : options.rates) rates.push_back(r);
  return {
      {"generated_at_us", std::chrono::duration_cast<std::chrono::microseconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count()},
      {"versions",
       {{"postgres", sql_value(endpoints.app, "SHOW server_version")},
        {"kafka", worker.is_object() ? worker.value("version", "?") : "?"},
        {"debezium", debezium}}},
      {"postgres_settings",
       {{"synchronous_commit", sql_value(endpoints.app, "SHOW synchronous_commit")},
        {"wal_level", sql_value(endpoints.app, "SHOW wal_level")}}},
      {"base_connector", base.name},
      {"stack", options.stack},
      {"topology", {{"brokers", options.topology.brokers}, {"workers", options.topology.workers}}},
      {"version_set", options.version_set},
      {"worker", options.worker.is_object() ? options.worker : json::object()},
      {"load",
       {{"rates_tps", rates},
        {"duration_s", static_cast<double>(options.load.duration.count()) / 1000.0},
        {"sessions", options.load.sessions},
        {"transaction_size", options.load.transaction_size},
        {"mix",
         {{"insert", options.load.mix.insert},
          {"update", options.load.mix.update},
          {"delete", options.load.mix.remove}}}}}};
}

ProfileResult run_profile(const StackEndpoints& endpoints, const ConnectorConfig& base,
                          const ConnectorProfile& profile, const ReportOptions& options,
                          const Progress& progress) {
  const std::string tag = run_tag() + "-" + options.run_id + "-" + profile.name;
  ConnectorConfig connector = profile_connector(base, profile, tag);
  ProfileResult result{profile, redacted(connector.config), {}};
  progress.stage("report", "profile " + profile.name + ": starting connector " + connector.name);
  start_connector(endpoints, connector, progress);
  try {
    TopicObserver observer(endpoints.kafka_bootstrap, connector.change_topic());
    CustomersWorkload fences(endpoints.app, tag + "-fence");
    const MatchRules rules =
        rendering_rules(endpoints.app, "public.customers", connector, Delivery::AtLeastOnce);
    bool first_step = true;
    for (const double rate : options.rates) {
      History history;
      LoadProfile load = options.load;
      load.rate = rate;
      RateResult step;
      // Judged while the load runs, at a fence every few seconds: a long step keeps per-key
      // state, not every event (receive times stay exact: the consumer never waits on it).
      StepCheck check(observer, fences, history, rules);
      if (std::exchange(first_step, false)) check.skip_to_fence();  // the snapshot: no step's
      StepOutcome outcome = check.run([&] {
        step.load = run_open_loop(endpoints.app, tag + "-" + std::to_string(static_cast<int>(rate)),
                                  load, history, progress);
      });
      step.events = outcome.events;
      step.verdict = std::move(outcome.verdict);
      step.latency = std::move(outcome.latency);
      step.harness_peak_rss_mb = process_usage().peak_rss_mb;
      const auto& e2e = step.latency.stages[Stage::EndToEnd];
      progress.stage("report", profile.name + " @ " + std::to_string(static_cast<int>(rate)) +
                                   " tx/s: " + std::to_string(step.events) +
                                   " events, commit->receive p50 " +
                                   std::to_string(e2e.p50 / 1000) + " ms, p99 " +
                                   std::to_string(e2e.p99 / 1000) + " ms; " +
                                   (step.verdict.ok() ? "correct" : step.verdict.summary()));
      result.rates.push_back(std::move(step));
    }
  } catch (...) {
    remove_connector(endpoints, connector.name, connector.slot_name());
    throw;
  }
  remove_connector(endpoints, connector.name, connector.slot_name());
  return result;
}

}  // namespace

ReportData run_report(const StackEndpoints& endpoints, const ConnectorConfig& base,
                      const ReportOptions& options, const Progress& progress) {
  ReportData report;
  report.metadata = metadata(endpoints, base, options);
  for (const auto& profile : options.profiles) {
    report.profiles.push_back(run_profile(endpoints, base, profile, options, progress));
  }
  return report;
}

}  // namespace cdc
