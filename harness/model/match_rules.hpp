#pragma once

namespace cdc {

// What the pipeline promises about re-deliveries: exactly once (a duplicate is a failure)
// or at least once (duplicates are legal, and counted). Nothing else differs: a version
// never seen before that arrives after a newer one is an order violation either way.
enum class Delivery { ExactlyOnce, AtLeastOnce };

// Which before image Debezium sends for updates and deletes: the table's REPLICA IDENTITY.
enum class ReplicaIdentity {
  Full,     // the whole old row
  Default,  // updates: none (unless the key changed); deletes: the key columns, the rest null
};

// Whether each delete is followed by a tombstone for its key (tombstones.on.delete).
enum class Tombstones { AfterDelete, None };

// How Debezium renders what was expected, and what it promises about re-deliveries: what the
// connector's settings say, and what the checkers judge by.
struct MatchRules {
  ReplicaIdentity identity = ReplicaIdentity::Full;
  Tombstones tombstones = Tombstones::AfterDelete;
  Delivery delivery = Delivery::ExactlyOnce;
};

}  // namespace cdc
