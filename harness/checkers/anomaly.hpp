#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/model/match_rules.hpp"
#include "harness/model/op.hpp"

namespace cdc {

// The one vocabulary for what a CDC stream can get wrong, in code, reports and README.
enum class AnomalyKind {
  Lost,         // an expected (committed) change never observed
  Phantom,      // an event with nothing expected behind it (e.g. of a rolled-back transaction)
  Duplicate,    // an expected change observed again
  Order,        // observed out of commit order: per key, a version after a newer one; within a
                // transaction, a statement after a later one
  Image,        // a before/after image or envelope field differs from what was expected
  Transaction,  // a change in the wrong transaction, or a transaction only partly observed
  Metadata,     // transaction metadata (BEGIN/END markers, total and per-table order) wrong
  Stall,        // a committed change that arrived, but later than the liveness bound allows
  Partition,    // a key's events in more than one partition of a topic: Kafka keeps order
                // only within a partition, so the key's order is no longer anyone's promise
  Key,          // events keyed by other columns than the table's primary key (message.key.columns,
                // a key SMT): found at a step's fence, which then stops (PipelineMismatch)
  LostByDatabase,  // a commit Postgres acknowledged and lost in a crash (synchronous_commit=off):
                   // not the pipeline's loss; the pipeline owes no event for it
};

std::string to_string(AnomalyKind kind);
const std::vector<AnomalyKind>& all_anomaly_kinds();

struct Anomaly {
  AnomalyKind kind;
  nlohmann::json key{};            // the row's key; null when the anomaly is not about one row
  std::optional<Op> op{};          // the change's op, when about one change
  std::optional<int64_t> tx_id{};  // its transaction, when known
  std::string evidence{};          // a sentence naming what was expected and what was seen
};

// A checker's answer: every anomaly it found (all of them, not the first), judged under a
// delivery guarantee.
struct Verdict {
  std::vector<Anomaly> anomalies{};
  Delivery delivery = Delivery::ExactlyOnce;
  size_t matched = 0;  // expected changes observed at least once

  // Correct under the delivery guarantee: no anomaly but duplicates at least once.
  bool ok() const;
  size_t count(AnomalyKind kind) const;
  std::vector<AnomalyKind> kinds() const;  // one entry per anomaly, in the order found
  void add(AnomalyKind kind, nlohmann::json key, std::optional<Op> op, std::optional<int64_t> tx_id,
           std::string evidence);
  void merge(const Verdict& other);
  std::string summary() const;  // "ok (N changes matched)" or one anomaly a line
};

}  // namespace cdc
