#include "harness/experiment/experiment.hpp"

#include <atomic>
#include <limits>
#include <pqxx/pqxx>

#include "harness/checkers/change_checks.hpp"
#include "harness/checkers/database_losses.hpp"
#include "harness/checkers/liveness.hpp"
#include "harness/common/clock.hpp"
#include "harness/common/errors.hpp"
#include "harness/common/timeouts.hpp"
#include "harness/common/wait.hpp"
#include "harness/connector/connector_lifecycle.hpp"
#include "harness/connector/rendering_rules.hpp"
#include "harness/experiment/fence_elsewhere.hpp"
#include "harness/faults/nemesis.hpp"
#include "harness/observer/fenced_reader.hpp"
#include "harness/observer/receiving.hpp"
#include "harness/observer/topic_observer.hpp"
#include "harness/workload/customers_workload.hpp"

namespace cdc {
using namespace std::chrono_literals;

void wait_until_caught_up(const StackEndpoints& endpoints, const ConnectorConfig& connector,
                          const std::function<void()>& write_one) {
  wait_until_streaming(endpoints, connector);
  pqxx::connection conn(endpoints.admin.conninfo());
  pqxx::nontransaction tx(conn);
  const std::string written = tx.exec1("SELECT pg_current_wal_lsn()::text")[0].c_str();
  wait_for(
      "slot '" + connector.slot_name() + "' to confirm the WAL up to " + written, scaled(60s),
      [&] {
        const auto r = tx.exec_params(
            "SELECT confirmed_flush_lsn >= $1::pg_lsn, confirmed_flush_lsn::text FROM "
            "pg_replication_slots WHERE slot_name = $2",
            written, connector.slot_name());
        if (r.empty()) return Probe<bool>::not_yet("no such slot");
        if (!r[0][0].is_null() && r[0][0].as<bool>()) return Probe<bool>::ready(true);
        // An idle connector's slot was seen to stay an event behind (Debezium 3.4: one row
        // written after the position was confirmed only up to just before it), so each
        // round writes one more.
        if (write_one) write_one();
        return Probe<bool>::not_yet("confirmed_flush_lsn " +
                                    std::string(r[0][1].is_null() ? "null" : r[0][1].c_str()));
      },
      write_one ? 1000ms : 200ms);
}

namespace {

// Removes the experiment's connector and slot however the experiment ends.
struct ConnectorLease {
  const StackEndpoints& endpoints;
  const ConnectorConfig& connector;
  ~ConnectorLease() {
    try {
      remove_connector(endpoints, connector.name, connector.slot_name());
    } catch (const std::exception& e) {
      // `cdc-harness down` removes it with the stack; say so rather than throw from here.
      Progress(true).stage("experiment",
                           "could not remove connector " + connector.name + ": " + e.what());
    }
  }
};

}  // namespace

ExperimentResult run_experiment(StackBackend& stack, const StackEndpoints& endpoints,
                                const Experiment& experiment, const Progress& progress) {
  const ConnectorConfig& connector = experiment.connector;
  const FaultTarget target{stack, endpoints, connector};
  std::vector<PlannedFault> plan;
  for (const auto& planned : experiment.schedule) {
    plan.push_back({planned, experiment.make ? experiment.make(planned.fault, target)
                                             : make_fault(planned.fault, target)});
  }

  ExperimentResult result;
  start_connector(endpoints, connector, progress);
  const ConnectorLease lease{endpoints, connector};
  // Fences through a connection of their own.
  CustomersWorkload fences(endpoints.app, experiment.tag + "-fence");
  TopicObserver observer(endpoints.kafka_bootstrap, connector.change_topic());
  FencedReader reader(
      observer, [&] { return fence_row(fences.fence(), "email"); }, 1,
      fence_elsewhere(endpoints, connector, connector.change_topic()));
  reader.next();  // the snapshot (and a first streamed row): not part of the load
  // Faults hit a connector that streams with an offset committed, as in production.
  ConnectorHandle(endpoints.connect_url, connector.name).wait_until_snapshot_committed();

  History history;
  LoadProfile load = experiment.load;
  std::atomic<int64_t> load_ends_at_us{std::numeric_limits<int64_t>::max()};
  Settling settling;
  std::function<void()> done;
  if (experiment.settled) {
    settling = {[&] { wait_until_caught_up(endpoints, connector); }, experiment.settle_gap};
    load.ends_at_us = &load_ends_at_us;
    done = [&] {
      load_ends_at_us = now_us() + std::chrono::microseconds(experiment.settle_gap).count();
    };
  }
  const auto positions = [&] { return pipeline_positions(target); };
  Nemesis nemesis(std::move(plan), positions, progress, settling, done);
  result.load_started_us = now_us();
  nemesis.start(std::chrono::steady_clock::now());
  // Received while the load runs, so that receive times are arrival times (liveness).
  while_receiving(observer, [&] {
    result.load = run_open_loop(endpoints.app, experiment.tag, load, history, progress);
  });
  auto records = nemesis.join();
  if (records.size() != experiment.schedule.size()) {
    throw HarnessError("only " + std::to_string(records.size()) + " of " +
                       std::to_string(experiment.schedule.size()) +
                       " faults were injected before the load ended");
  }

  // Liveness: after the heal the connector streams again, by itself, within the deadline.
  progress.stage("experiment", "load done; waiting until the connector streams again");
  wait_until_streaming(endpoints, connector);
  for (auto& r : records) {
    if (r.after.is_null()) r.after = positions();
  }
  const auto events = reader.next_settled();
  result.events = events.size();
  for (const auto& e : events) result.reads += e.op == Op::Read ? 1 : 0;
  // What Postgres itself lost in a crash (synchronous_commit=off) is owed no event, and named.
  OwedHistory owed = owed_by_pipeline(history.entries(), history.durability());
  const auto& entries = owed.entries;
  const Match match = match_changes(
      expected_changes(entries), events,
      rendering_rules(endpoints.app, "public.customers", connector, Delivery::AtLeastOnce));
  result.verdict = match.verdict;
  result.verdict.merge(owed.lost_by_database);
  result.verdict.merge(
      check_liveness(entries, events, match, outages_of(records), experiment.liveness_bound));
  result.latency = measure_latency(entries, events, match);
  result.faults = judge_faults(records, entries, events, match, result.verdict);
  return result;
}

}  // namespace cdc
