#include "harness/checkers/transaction_metadata.hpp"

#include <algorithm>
#include <map>

namespace cdc {

namespace {

// Whether `event` is one a transaction's BEGIN and END frame: a change streamed in it. Not a
// tombstone, and not a snapshot read, which carries the xid of its offset (a blocking
// snapshot's reads carry the signal's transaction, seen on 3.4.1) but no transaction block.
bool framed(const ChangeEvent& event, int64_t tx_id) {
  return event.source.tx_id == tx_id && !event.is_tombstone() && event.op != Op::Read;
}

}  // namespace

Verdict check_transaction_metadata(const std::vector<ChangeEvent>& events,
                                   const std::vector<TransactionMarker>& markers, int64_t tx_id) {
  Verdict verdict;
  verdict.delivery = Delivery::ExactlyOnce;
  const std::string tx = std::to_string(tx_id);
  const TransactionMarker* begin = nullptr;
  const TransactionMarker* end = nullptr;
  for (const auto& marker : markers) {
    if (marker.tx_id() != tx_id) continue;
    const TransactionMarker*& slot = marker.status == "BEGIN" ? begin : end;
    if (slot)
      verdict.add(AnomalyKind::Metadata, nullptr, std::nullopt, tx_id,
                  "transaction " + tx + " has two " + marker.status + " markers");
    slot = &marker;
  }
  if (!begin)
    verdict.add(AnomalyKind::Metadata, nullptr, std::nullopt, tx_id,
                "transaction " + tx + " has no BEGIN marker on the transaction topic");
  if (!end)
    verdict.add(AnomalyKind::Metadata, nullptr, std::nullopt, tx_id,
                "transaction " + tx + " has no END marker on the transaction topic");

  int64_t expected_total = 1;
  std::map<std::string, int64_t> per_table;  // schema.table -> events seen
  for (const auto& event : events) {
    if (!framed(event, tx_id)) continue;
    if (!event.transaction) {
      verdict.add(
          AnomalyKind::Metadata, event.key, event.op, tx_id,
          brief(event) + " has no transaction metadata (is provide.transaction.metadata on?)");
      continue;
    }
    // Debezium 3.4 suffixes the id with each event's own LSN ("<txId>:<lsn>"), so BEGIN,
    // END and the events agree only on the txId part.
    const std::string& id = event.transaction->id;
    if (id.substr(0, id.find(':')) != tx) {
      verdict.add(AnomalyKind::Metadata, event.key, event.op, tx_id,
                  brief(event) + " names transaction " + id + ", not " + tx);
    }
    if (event.transaction->total_order != expected_total) {
      verdict.add(AnomalyKind::Metadata, event.key, event.op, tx_id,
                  brief(event) + " has total_order " +
                      std::to_string(event.transaction->total_order) + ", expected " +
                      std::to_string(expected_total));
    }
    const std::string table = event.source.schema + "." + event.source.table;
    const int64_t expected_in_table = ++per_table[table];
    if (event.transaction->data_collection_order != expected_in_table) {
      verdict.add(AnomalyKind::Metadata, event.key, event.op, tx_id,
                  brief(event) + " has data_collection_order " +
                      std::to_string(event.transaction->data_collection_order) + ", expected " +
                      std::to_string(expected_in_table) + " in " + table);
    }
    ++expected_total;
  }
  if (end) {
    const int64_t seen = expected_total - 1;
    if (end->event_count != seen) {
      verdict.add(AnomalyKind::Metadata, nullptr, std::nullopt, tx_id,
                  "END of transaction " + tx + " counts " +
                      (end->event_count ? std::to_string(*end->event_count) : std::string("no")) +
                      " events, " + std::to_string(seen) + " arrived");
    }
    if (end->data_collections != per_table) {
      std::string counted, arrived;
      for (const auto& [t, n] : end->data_collections) counted += t + "=" + std::to_string(n) + " ";
      for (const auto& [t, n] : per_table) arrived += t + "=" + std::to_string(n) + " ";
      verdict.add(AnomalyKind::Metadata, nullptr, std::nullopt, tx_id,
                  "END of transaction " + tx + " counts per table [" + counted + "], arrived [" +
                      arrived + "]");
    }
  }
  return verdict;
}

Verdict check_transaction_metadata(const std::vector<ChangeEvent>& events,
                                   const std::vector<TransactionMarker>& markers, int64_t tx_id,
                                   Delivery delivery) {
  if (delivery == Delivery::ExactlyOnce) return check_transaction_metadata(events, markers, tx_id);
  Verdict again;
  std::vector<ChangeEvent> first_events;
  // lsn + key + image -> its first delivery. The image too: rows of one multi-insert WAL
  // record (COPY) share an LSN, and in a table without a primary key their key is null.
  std::map<std::string, const ChangeEvent*> first_of;
  for (const auto& event : events) {
    if (!framed(event, tx_id)) continue;
    const auto& image = event.after ? event.after : event.before;
    const std::string identity = std::to_string(event.source.lsn.value_or(-1)) + " " +
                                 event.key.dump() + " " + (image ? image->dump() : "");
    const auto [it, first] = first_of.emplace(identity, &event);
    if (first) {
      first_events.push_back(event);
      continue;
    }
    const auto& was = it->second->transaction;
    const auto& now = event.transaction;
    if (was && now &&
        (was->total_order != now->total_order ||
         was->data_collection_order != now->data_collection_order)) {
      again.add(AnomalyKind::Metadata, event.key, event.op, tx_id,
                brief(event) + " came again with total_order " + std::to_string(now->total_order) +
                    " and data_collection_order " + std::to_string(now->data_collection_order) +
                    "; its first delivery had " + std::to_string(was->total_order) + " and " +
                    std::to_string(was->data_collection_order));
    }
  }
  std::vector<TransactionMarker> first_markers;
  for (const auto& marker : markers) {
    if (marker.tx_id() != tx_id) continue;
    const auto same =
        std::find_if(first_markers.begin(), first_markers.end(),
                     [&](const TransactionMarker& m) { return m.status == marker.status; });
    if (same == first_markers.end()) {
      first_markers.push_back(marker);
    } else if (same->event_count != marker.event_count ||
               same->data_collections != marker.data_collections) {
      again.add(AnomalyKind::Metadata, nullptr, std::nullopt, tx_id,
                marker.status + " of transaction " + std::to_string(tx_id) +
                    " came again with other counts than the first");
    }
  }
  Verdict verdict = check_transaction_metadata(first_events, first_markers, tx_id);
  verdict.merge(again);
  verdict.delivery = Delivery::AtLeastOnce;
  return verdict;
}

}  // namespace cdc
