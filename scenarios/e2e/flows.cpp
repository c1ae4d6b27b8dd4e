#include "scenarios/e2e/flows.hpp"

namespace cdc::scenarios {
using nlohmann::json;

Verdict snapshot_flow(const Pipeline& pipeline, const std::function<void(json&)>& change) {
  CustomersWorkload workload(pipeline.endpoints.app, unique_tag("snapshot"));
  std::vector<ExpectedChange> expected;
  for (const char* name : {"Ada", "Brian", "Chen"}) {
    expected.push_back(expect::snapshot_of(*workload.insert(name, "Snapshot").after));
  }
  // Started after the rows exist: its initial snapshot must read them.
  ScopedConnector connector(pipeline, workload.tag(), change);
  TopicObserver observer(pipeline.endpoints.kafka_bootstrap, connector.config().change_topic());
  const auto events = FencedReader(observer, fence_with(workload)).next();
  Verdict verdict = check_events(events, expected, customers_rules(pipeline, connector.config()));
  for (const auto& event : events) {
    if (event.op == Op::Read && event.source.snapshot == "false") {
      verdict.add(AnomalyKind::Image, event.key, event.op, event.source.tx_id,
                  "snapshot read " + brief(event) + " has source.snapshot=false");
    }
  }
  return verdict;
}

Verdict insert_flow(const Pipeline& pipeline, const ConnectorConfig& connector) {
  CustomersScene scene(pipeline, connector, "insert");
  const std::vector<Mutation> mutations = {scene.workload.insert("Grace", "Hopper"),
                                           scene.workload.insert("Alan", "Turing")};
  return check_events(scene.reader.next(), expected_changes(mutations),
                      customers_rules(pipeline, connector));
}

Verdict update_flow(const Pipeline& pipeline, const ConnectorConfig& connector) {
  CustomersScene scene(pipeline, connector, "update");
  std::vector<Mutation> mutations = {scene.workload.insert("Edsger", "Dijkstra")};
  const int id = mutations[0].key["id"];
  mutations.push_back(scene.workload.update_email(id, scene.workload.next_email()));
  mutations.push_back(scene.workload.update_email(id, scene.workload.next_email()));
  return check_events(scene.reader.next(), expected_changes(mutations),
                      customers_rules(pipeline, connector));
}

Verdict delete_flow(const Pipeline& pipeline, const ConnectorConfig& connector) {
  CustomersScene scene(pipeline, connector, "delete");
  std::vector<Mutation> mutations = {scene.workload.insert("Barbara", "Liskov")};
  mutations.push_back(scene.workload.remove(mutations[0].key["id"]));
  return check_events(scene.reader.next(), expected_changes(mutations),
                      customers_rules(pipeline, connector));
}

Verdict transaction_flow(const Pipeline& pipeline, const ConnectorConfig& connector) {
  CustomersScene scene(pipeline, connector, "transaction");
  const int doomed = scene.workload.insert("Ken", "Thompson").key["id"];
  scene.reader.next();  // the insert above is not part of the transaction under test
  const auto mutations = scene.workload.transaction([&](CustomersWorkload::Batch& tx) {
    const int first = tx.insert("Dennis", "Ritchie").key["id"];
    tx.insert("Brian", "Kernighan");
    tx.update_email(first, scene.workload.next_email());
    tx.remove(doomed);
  });
  // One txId for all, in statement order across keys: the matcher's transaction rules.
  return check_events(scene.reader.next(), expected_changes(mutations),
                      customers_rules(pipeline, connector));
}

Verdict rollback_flow(const Pipeline& pipeline, const ConnectorConfig& connector) {
  CustomersScene scene(pipeline, connector, "rollback");
  const Mutation kept = scene.workload.insert("Margaret", "Hamilton");
  const auto undone = scene.workload.transaction(
      [&](CustomersWorkload::Batch& tx) {
        tx.insert("Rolled", "Back");
        tx.update_email(kept.key["id"], "never-committed-" + scene.workload.next_email());
        tx.remove(kept.key["id"]);
      },
      Outcome::Rollback);
  // The committed insert must arrive, alone; nothing of the rolled-back transaction may.
  std::vector<ExpectedChange> expected = expected_changes(std::vector<Mutation>{kept});
  for (auto& change : expected_changes(undone)) expected.push_back(std::move(change).rolled_back());
  return check_events(scene.reader.next(), expected, customers_rules(pipeline, connector));
}

}  // namespace cdc::scenarios
