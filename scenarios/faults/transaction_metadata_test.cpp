// Transaction metadata across a crash: the Connect worker is killed while Debezium streams a
// large transaction with provide.transaction.metadata=true (its acks held back 0.5 s), once an
// offset inside it is committed, so part of it is sent again after the restart. Each re-sent event
// must carry the orders of its first delivery, and BEGIN/END must agree with what arrived.
//
// Debezium versions with debezium/dbz#633 number the re-sent part afresh from 1 and send a
// second BEGIN (which versions: reports/upstream/defects.json). On those this scenario is the
// reproduction: it asserts that the harness reports the bug, shown on the raw records as well
// as through the decoder; on fixed versions it asserts that the metadata is consistent.
//
// Its moment is reached deterministically: Connect's acks come 0.5 s late, and once Connect
// has committed an offset inside the transaction while the transaction still streams, the
// acks are held altogether. From then on the committed offset cannot cover anything sent after
// it, and the records in flight are in Kafka past it; the kill comes then. Before the restart
// the scenario checks that moment on the offsets topic and the change topic (read from the
// broker, not through Connect or the proxy).
#include <gtest/gtest.h>

#include <iostream>
#include <pqxx/pqxx>

#include "harness/checkers/change_checks.hpp"
#include "harness/checkers/transaction_metadata.hpp"
#include "harness/common/errors.hpp"
#include "harness/common/progress.hpp"
#include "harness/common/timeouts.hpp"
#include "harness/common/wait.hpp"
#include "harness/connector/connector_handle.hpp"
#include "harness/connector/connector_lifecycle.hpp"
#include "harness/observer/envelope_decoder.hpp"
#include "harness/observer/topic_reader.hpp"
#include "harness/stack/backend.hpp"
#include "harness/stack/stack_probes.hpp"
#include "harness/stack/toxiproxy_client.hpp"
#include "harness/stack/upstream_defects.hpp"
#include "scenarios/anomaly_printing.hpp"
#include "scenarios/e2e/pipeline.hpp"
#include "scenarios/faults/committed_offsets.hpp"
#include "scenarios/faults/late_acks.hpp"

namespace cdc::scenarios {
namespace {
using nlohmann::json;
using namespace std::chrono_literals;

// Reads <prefix>.transaction until an END marker of `tx_id` has arrived, then to its end.
std::vector<TransactionMarker> markers_of(const Pipeline& pipeline,
                                          const ConnectorConfig& connector, int64_t tx_id) {
  TopicReader reader(pipeline.endpoints.kafka_bootstrap, connector.topic_prefix() + ".transaction");
  std::vector<TransactionMarker> markers;
  bool ended = false;
  wait_for("the END marker of transaction " + std::to_string(tx_id), scaled(60s), [&] {
    while (auto record = reader.poll(500ms)) {
      if (!record->value) continue;
      markers.push_back(decode_transaction_marker(*record->value, record->position));
      ended = ended || (markers.back().status == "END" && markers.back().tx_id() == tx_id);
    }
    if (ended) return Probe<bool>::ready(true);  // and the topic read to its end (poll ran dry)
    return Probe<bool>::not_yet(std::to_string(markers.size()) + " markers");
  });
  return markers;
}

// Straight from the raw records, without the envelope decoder: the first key of `xid` that
// was delivered twice, with the transaction block of each delivery.
std::string raw_evidence(const Pipeline& pipeline, const ConnectorConfig& connector, int64_t xid) {
  TopicReader reader(pipeline.endpoints.kafka_bootstrap, connector.change_topic());
  std::map<std::string, json> first;  // key -> its first delivery's transaction block
  while (auto record = reader.poll(2s)) {
    if (!record->value) continue;
    const json value = json::parse(*record->value, nullptr, false);
    const json& payload = value.contains("payload") ? value["payload"] : value;
    if (!payload.is_object() || !payload.contains("transaction") ||
        payload["transaction"].is_null() || payload["source"].value("txId", int64_t{0}) != xid)
      continue;
    const std::string& key = record->key;
    const auto [it, fresh] = first.emplace(key, payload["transaction"]);
    if (!fresh) {
      return "raw records: key " + key + " first delivered with " + it->second.dump() +
             ", again at offset " + std::to_string(record->position.offset) + " with " +
             payload["transaction"].dump();
    }
  }
  return "raw records: no key of transaction " + std::to_string(xid) + " was delivered twice";
}

TEST(TransactionMetadataUnderFaults, AConnectCrashMidTransactionKeepsItsOrdersAndCounts) {
  constexpr int kRows = 20000;
  const auto& pipeline = Pipeline::shared();
  const std::string tag = unique_tag("txmeta");
  const BulkRows rows(pipeline, tag);  // deleted after the connector is gone
  ScopedConnector connector(pipeline, tag,
                            [](json& c) { c["provide.transaction.metadata"] = "true"; });
  CustomersScene scene(pipeline, connector.config(), "txmeta");
  scene.reader.next();  // the snapshot
  ConnectorHandle handle(pipeline.endpoints.connect_url, connector.config().name);
  handle.wait_until_snapshot_committed();

  // Acks held back, so that the transaction is still being sent when Connect has committed
  // an offset inside it and is killed.
  if (pipeline.endpoints.toxiproxy_url.empty())
    GTEST_SKIP() << "needs the native stack's Toxiproxy to slow Connect down";
  LateAcks late(pipeline.endpoints.toxiproxy_url, 500);
  int64_t xid = 0;
  {
    pqxx::connection conn(pipeline.endpoints.app.conninfo());
    pqxx::work tx(conn);
    xid = tx.exec1("SELECT txid_current()")[0].as<int64_t>() & 0xffffffffLL;
    tx.exec_params(
        "INSERT INTO customers (first_name, last_name, email) SELECT 'Tx', 'Meta', $1 || '-' || g "
        "|| '@example.com' FROM generate_series(1, $2) g",
        tag, kRows);
    tx.commit();
  }
  // The moment: Connect has committed an offset inside the transaction while it still streams
  // it. Then the acks are held, so nothing sent from now on can be committed.
  CommittedOffsets offsets(pipeline, connector.config().name);
  int64_t first_lsn = 0, committed = 0;
  size_t seen_of_tx = 0;
  wait_for("Connect to commit an offset inside the transaction while it streams it", scaled(120s),
           [&] {
             while (scene.observer.receive(50ms)) {
             }
             seen_of_tx = 0;
             for (const auto& e : scene.observer.events()) {
               if (e.source.tx_id != xid || !e.source.lsn) continue;
               if (seen_of_tx++ == 0) first_lsn = *e.source.lsn;
             }
             committed = offsets.latest();
             const std::string seen = std::to_string(seen_of_tx) + " of the transaction's " +
                                      std::to_string(kRows) + " events in Kafka, committed " +
                                      "lsn_proc " + std::to_string(committed) + ", first lsn " +
                                      std::to_string(first_lsn);
             if (seen_of_tx >= static_cast<size_t>(kRows))
               throw HarnessError(
                   "the whole transaction reached Kafka before Connect committed "
                   "an offset inside it: " +
                   seen);
             if (first_lsn > 0 && committed > first_lsn) return Probe<bool>::ready(true, seen);
             return Probe<bool>::not_yet(seen);
           });
  late.hold();
  // Kafka must hold records of the transaction past what Connect can have committed.
  int64_t last_in_kafka = 0;
  wait_for("Kafka to hold the transaction's records past Connect's committed offset", scaled(30s),
           [&] {
             while (scene.observer.receive(50ms)) {
             }
             for (const auto& e : scene.observer.events())
               if (e.source.tx_id == xid && e.source.lsn)
                 last_in_kafka = std::max(last_in_kafka, *e.source.lsn);
             committed = offsets.latest();
             const std::string seen = "committed lsn_proc " + std::to_string(committed) +
                                      ", the transaction's last lsn in Kafka " +
                                      std::to_string(last_in_kafka);
             if (last_in_kafka > committed) return Probe<bool>::ready(true, seen);
             return Probe<bool>::not_yet(seen);
           });
  auto stack = make_stack_backend(pipeline.stack, pipeline.run_dir);
  stack->act_on(Component::Connect, ComponentAction::Kill, Progress(true));
  // What the restarted task resumes from: written before the kill, perhaps landing just after.
  committed = offsets.latest();
  ASSERT_GT(committed, first_lsn) << "the committed offset is not inside the transaction";
  ASSERT_GT(last_in_kafka, committed) << "Kafka holds nothing of the transaction past the offset";
  late.remove();
  stack->act_on(Component::Connect, ComponentAction::Start, Progress(true));
  wait_until_streaming(pipeline.endpoints, connector.config());

  const auto events = scene.reader.next_settled();
  const auto markers = markers_of(pipeline, connector.config(), xid);
  size_t of_tx = 0;
  for (const auto& e : events) of_tx += (e.source.tx_id == xid && !e.is_tombstone()) ? 1 : 0;
  const Verdict verdict = check_transaction_metadata(events, markers, xid, Delivery::AtLeastOnce);
  size_t begins = 0, renumbered = 0;
  for (const auto& m : markers) begins += (m.status == "BEGIN" && m.tx_id() == xid) ? 1 : 0;
  for (const auto& a : verdict.anomalies)
    renumbered += a.evidence.find("came again with total_order") != std::string::npos ? 1 : 0;
  ConnectClient connect(pipeline.endpoints.connect_url);
  const std::string version = plugin_version(connect, kDebeziumPostgresConnectorClass);
  std::cout << "[ fault ] connect-crash in a " << kRows << "-row transaction with metadata, "
            << "Debezium " << version << ": " << of_tx << " of its events delivered ("
            << of_tx - kRows << " again), " << begins << " BEGIN markers, "
            << verdict.count(AnomalyKind::Metadata) << " metadata anomalies (" << renumbered
            << " re-sent events renumbered)\n"
            << "[ fault ] " << raw_evidence(pipeline, connector.config(), xid) << "\n";
  ASSERT_GT(of_tx, static_cast<size_t>(kRows)) << "nothing was sent again: the crash missed";
  if (affects(upstream_defect("dbz#633"), version)) {
    // The harness must see it, on every re-sent event.
    EXPECT_EQ(renumbered, of_tx - kRows) << verdict.summary().substr(0, 3000);
    EXPECT_EQ(begins, 2u) << "a second BEGIN after the restart";
    EXPECT_FALSE(verdict.ok());
  } else {
    EXPECT_TRUE(verdict.ok()) << verdict.summary().substr(0, 3000);
  }
}

}  // namespace
}  // namespace cdc::scenarios
