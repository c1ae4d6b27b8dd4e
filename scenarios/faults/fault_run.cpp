#include "scenarios/faults/fault_run.hpp"

#include <pqxx/pqxx>

#include "harness/checkers/change_checks.hpp"
#include "harness/checkers/liveness.hpp"
#include "harness/common/clock.hpp"
#include "harness/common/errors.hpp"
#include "harness/common/progress.hpp"
#include "harness/common/timeouts.hpp"
#include "harness/connector/connector_lifecycle.hpp"
#include "harness/faults/fault_catalogue.hpp"
#include "harness/faults/nemesis.hpp"
#include "harness/observer/receiving.hpp"
#include "scenarios/e2e/pipeline.hpp"

namespace cdc::scenarios {
using nlohmann::json;
using namespace std::chrono_literals;

std::chrono::microseconds liveness_bound() {
  return std::chrono::duration_cast<std::chrono::microseconds>(scaled(kDefaultLivenessBound));
}

std::string FaultRun::summary() const {
  char line[400];
  std::snprintf(line, sizeof line,
                "%s: %zu transactions (%zu in doubt, %zu cut off), %zu events, %zu lost, %zu "
                "duplicates, %zu stalled; worst commit->receive during the fault %.1f s, first "
                "event %.1f s after the heal",
                record.fault.c_str(), load.transactions, load.in_doubt, load.failed, events,
                verdict.count(AnomalyKind::Lost), verdict.count(AnomalyKind::Duplicate),
                verdict.count(AnomalyKind::Stall), worst_latency_s, recovery_s);
  return line;
}

FaultRun run_fault_under_load(const std::string& name, const std::function<void(json&)>& change) {
  return run_fault_under_load([&](const FaultTarget& t) { return make_fault(name, t); }, change);
}

FaultRun run_fault_under_load(const std::function<Fault(const FaultTarget&)>& make,
                              const std::function<void(json&)>& change, LoadShape shape) {
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
  History history;
  LoadProfile load;
  load.rate = shape.rate;
  load.duration = shape.duration;
  load.sessions = shape.sessions;
  load.transaction_size = shape.transaction_size;
  const auto positions = [&] { return pipeline_positions(target); };
  Nemesis nemesis({{ScheduledFault{name, 2500ms, 2500ms}, fault}}, positions, Progress(true));
  nemesis.start(std::chrono::steady_clock::now());
  // Received while the load runs, so that receive times are arrival times (liveness).
  while_receiving(observer, [&] {
    run.load = run_open_loop(pipeline.endpoints.app, tag, load, history, Progress(true));
  });
  const auto records = nemesis.join();
  if (records.size() != 1) throw HarnessError("fault " + name + " was never injected");
  run.record = records.front();

  // Liveness: after the heal the connector streams again, by itself, within the deadline.
  wait_until_streaming(pipeline.endpoints, connector.config());
  run.record.after = pipeline_positions(target);
  const auto events = reader.next_settled();
  run.events = events.size();
  for (const auto& e : events) run.reads += e.op == Op::Read ? 1 : 0;
  // Recovery: from the heal to the first event Kafka got after it.
  for (const auto& e : events) {
    const int64_t landed_us = e.kafka.timestamp_ms * 1000;
    if (landed_us < run.record.healed_us) continue;
    const double seconds = static_cast<double>(landed_us - run.record.healed_us) / 1e6;
    if (run.recovery_s == 0 || seconds < run.recovery_s) run.recovery_s = seconds;
  }
  const auto entries = history.entries();
  const Match match =
      match_changes(expected_changes(entries), events,
                    customers_rules(pipeline, connector.config(), Delivery::AtLeastOnce));
  run.verdict = match.verdict;
  run.verdict.merge(check_liveness(entries, events, match, outages_of(records), liveness_bound()));
  // The fault's mark: the worst commit -> receive of the changes committed while it was on.
  for (size_t i = 0; i < entries.size() && i < match.deliveries.size(); ++i) {
    const auto& h = entries[i];
    if (match.deliveries[i].empty() || h.commit_return_us < run.record.started_us ||
        h.commit_return_us > run.record.healed_us)
      continue;
    const int64_t received_us = events[match.deliveries[i].front()].kafka.received_us;
    run.worst_latency_s =
        std::max(run.worst_latency_s, static_cast<double>(received_us - h.commit_return_us) / 1e6);
  }
  return run;
}

}  // namespace cdc::scenarios
