#pragma once
#include <string>
#include <vector>

#include "harness/checkers/event_expectations.hpp"
#include "harness/observer/change_event.hpp"
#include "harness/workload/history.hpp"

namespace cdc {

// The anomalies a CDC stream can show against the history that produced it.
enum class AnomalyKind {
  Lost,         // a committed change never observed
  Phantom,      // an event with no committed change behind it (e.g. a rolled-back transaction)
  Duplicate,    // the same change observed more than once
  Order,        // per key, changes observed out of commit (LSN) order
  Image,        // before/after differ from the history
  Transaction,  // a transaction only partly observed
};

std::string to_string(AnomalyKind kind);

struct Anomaly {
  AnomalyKind kind;
  std::string evidence;  // a sentence naming key, op, txId and what was seen
};

struct HistoryVerdict {
  std::vector<Anomaly> anomalies;
  size_t matched = 0;  // history entries observed at least once

  size_t count(AnomalyKind kind) const;
  // Correct for the delivery guarantee: duplicates are legal only at least once.
  bool ok(bool duplicates_allowed) const;
  std::string summary() const;
};

struct HistoryCheckOptions {
  EventRules rules;  // which before images the table's REPLICA IDENTITY gives
};

// Judges `observed` (in topic order; events of keys outside the history are ignored, and so
// are snapshot reads and tombstones) against `history`, and returns every anomaly found.
HistoryVerdict check_history(const std::vector<HistoryEntry>& history,
                             const std::vector<ChangeEvent>& observed,
                             const HistoryCheckOptions& options = {});

}  // namespace cdc
