#pragma once

#include "harness/checkers/anomaly.hpp"

namespace cdc {

// Which before image Debezium sends for updates and deletes: the table's REPLICA IDENTITY.
enum class ReplicaIdentity {
  Full,     // the whole old row
  Default,  // updates: none (unless the key changed); deletes: the key columns, the rest null
};

// Whether each delete is followed by a tombstone for its key (tombstones.on.delete).
enum class Tombstones { AfterDelete, None };

// How Debezium renders what was expected, and what it promises about re-deliveries.
struct MatchRules {
  ReplicaIdentity identity = ReplicaIdentity::Full;
  Tombstones tombstones = Tombstones::AfterDelete;
  Delivery delivery = Delivery::ExactlyOnce;
};

}  // namespace cdc
