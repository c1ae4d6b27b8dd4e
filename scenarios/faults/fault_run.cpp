#include "scenarios/faults/fault_run.hpp"

#include <pqxx/pqxx>
#include <thread>

#include "harness/checkers/change_checks.hpp"
#include "harness/common/clock.hpp"
#include "harness/common/errors.hpp"
#include "harness/common/progress.hpp"
#include "harness/common/timeouts.hpp"
#include "harness/connector/connector_lifecycle.hpp"
#include "harness/faults/fault_catalogue.hpp"
#include "scenarios/e2e/pipeline.hpp"

namespace cdc::scenarios {
using nlohmann::json;
using namespace std::chrono_literals;

std::string FaultRun::summary() const {
  char line[400];
  std::snprintf(line, sizeof line,
                "%s: %zu transactions (%zu in doubt, %zu cut off), %zu events, %zu lost, %zu "
                "duplicates, first event %.1f s after the heal",
                record.fault.c_str(), load.transactions, load.in_doubt, load.failed, events,
                verdict.count(AnomalyKind::Lost), verdict.count(AnomalyKind::Duplicate),
                recovery_s);
  return line;
}

FaultRun run_fault_under_load(const std::string& name, const std::function<void(json&)>& change) {
  return run_fault_under_load([&](const FaultTarget& t) { return make_fault(name, t); }, change);
}

FaultRun run_fault_under_load(const std::function<Fault(const FaultTarget&)>& make,
                              const std::function<void(json&)>& change) {
  const auto& pipeline = Pipeline::shared();
  const std::string tag = unique_tag("fault");
  ScopedConnector connector(pipeline, tag, change);
  auto stack = make_stack_backend(pipeline.stack, pipeline.run_dir);
  const FaultTarget target{*stack, pipeline.endpoints, connector.config()};
  const Fault fault = make(target);
  const std::string& name = fault.name;

  // Fences through a connection of their own.
  CustomersWorkload fences(pipeline.endpoints.app, tag + "-fence");
  TopicObserver observer(pipeline.endpoints.kafka_bootstrap, connector.config().change_topic());
  FencedReader reader(observer, [&] { return fences.fence(); });
  reader.next();  // the snapshot (and a first streamed row): not part of the load
  // Faults hit a connector that streams with an offset committed, as in production.
  ConnectorHandle(pipeline.endpoints.connect_url, connector.config().name)
      .wait_until_snapshot_committed();

  FaultRun run;
  run.record.fault = fault.name;
  run.record.kind = fault.kind;
  History history;
  LoadProfile load;
  load.rate = 40;
  load.duration = 9s;
  load.sessions = 2;
  load.transaction_size = 2;
  const auto begin = std::chrono::steady_clock::now();
  std::string nemesis_error;
  std::thread nemesis([&] {
    try {
      std::this_thread::sleep_until(begin + 2500ms);  // the schedule, not synchronisation
      run.record.before = pipeline_positions(target);
      run.record.started_us = now_us();
      fault.start();
      run.record.in_effect_us = now_us();
      std::this_thread::sleep_until(begin + 5000ms);
      run.record.healing_us = now_us();
      fault.heal();
      run.record.healed_us = now_us();
    } catch (const std::exception& e) {
      nemesis_error = e.what();
    }
  });
  try {
    run.load = run_open_loop(pipeline.endpoints.app, tag, load, history, Progress(true));
  } catch (...) {
    nemesis.join();
    throw;
  }
  nemesis.join();
  if (!nemesis_error.empty()) throw HarnessError("fault " + name + ": " + nemesis_error);

  // Liveness: after the heal the connector streams again, by itself, within the deadline.
  wait_until_streaming(pipeline.endpoints, connector.config());
  run.record.after = pipeline_positions(target);
  const auto events = reader.next_settled();
  run.events = events.size();
  // Recovery: from the heal to the first event Kafka got after it.
  for (const auto& e : events) {
    const int64_t landed_us = e.kafka.timestamp_ms * 1000;
    if (landed_us < run.record.healed_us) continue;
    const double seconds = static_cast<double>(landed_us - run.record.healed_us) / 1e6;
    if (run.recovery_s == 0 || seconds < run.recovery_s) run.recovery_s = seconds;
  }
  run.verdict = check_history(history.entries(), events,
                              customers_rules(pipeline, connector.config(), Delivery::AtLeastOnce));
  return run;
}

}  // namespace cdc::scenarios
