#pragma once
#include <algorithm>
#include <string>

namespace cdc {

// How many Kafka nodes (each a KRaft broker and controller) and Connect workers (one group)
// a stack runs. 1 + 1 is the default and keeps the suite fast; 3 + 2 is what production
// looks like: topics replicated 3 times, 2 in sync to accept a write.
struct Topology {
  int brokers = 1;
  int workers = 1;

  bool clustered() const { return brokers > 1 || workers > 1; }
  int replication_factor() const { return std::min(brokers, 3); }
  int min_insync_replicas() const { return replication_factor() > 1 ? 2 : 1; }
  std::string describe() const;  // "3 brokers, 2 Connect workers"
};

inline bool operator==(const Topology& a, const Topology& b) {
  return a.brokers == b.brokers && a.workers == b.workers;
}

// --brokers / --workers, else $CDC_BROKERS / $CDC_WORKERS, else 1 and 1 ("" = not given).
// A count that is not 1 to 5 brokers or 1 to 3 workers is a one-line error naming the fix.
Topology choose_topology(const std::string& brokers_flag, const std::string& workers_flag);

}  // namespace cdc
