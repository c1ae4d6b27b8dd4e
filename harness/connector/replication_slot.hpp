#pragma once
#include <optional>
#include <string>
#include <vector>

#include "harness/stack/endpoints.hpp"

namespace cdc {

struct SlotState {
  bool active = false;
  std::optional<int> active_pid{};
  // "reserved", "extended", "unreserved", or "lost": Postgres invalidated the slot (it fell
  // more than max_slot_wal_keep_size behind), and no walsender can stream from it again.
  std::string wal_status{};
};

// The slot as Postgres sees it; nullopt when no such slot exists.
std::optional<SlotState> replication_slot(const PostgresEndpoint& admin, const std::string& slot);

// Names of all replication slots in the server.
std::vector<std::string> replication_slots(const PostgresEndpoint& admin);

// Waits until no walsender holds the slot, then drops it. A slot left behind pins WAL
// forever, so this runs at every connector teardown.
void drop_replication_slot(const PostgresEndpoint& admin, const std::string& slot);

}  // namespace cdc
