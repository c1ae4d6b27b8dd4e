#include "harness/connector/replication_slot.hpp"

#include <pqxx/pqxx>

#include "harness/common/timeouts.hpp"
#include "harness/common/wait.hpp"

namespace cdc {
using namespace std::chrono_literals;

std::optional<SlotState> replication_slot(const PostgresEndpoint& admin, const std::string& slot) {
  pqxx::connection conn(admin.conninfo());
  pqxx::nontransaction tx(conn);
  const auto rows = tx.exec_params(
      "SELECT active, active_pid, wal_status FROM pg_replication_slots WHERE slot_name = $1", slot);
  if (rows.empty()) return std::nullopt;
  SlotState state;
  state.active = rows[0][0].as<bool>();
  if (!rows[0][1].is_null()) state.active_pid = rows[0][1].as<int>();
  if (!rows[0][2].is_null()) state.wal_status = rows[0][2].as<std::string>();
  return state;
}

std::vector<std::string> replication_slots(const PostgresEndpoint& admin) {
  pqxx::connection conn(admin.conninfo());
  pqxx::nontransaction tx(conn);
  std::vector<std::string> names;
  for (const auto& row : tx.exec("SELECT slot_name FROM pg_replication_slots ORDER BY slot_name")) {
    names.push_back(row[0].as<std::string>());
  }
  return names;
}

void drop_replication_slot(const PostgresEndpoint& admin, const std::string& slot) {
  wait_for("replication slot '" + slot + "' to be released by its walsender", scaled(30s), [&] {
    const auto state = replication_slot(admin, slot);
    if (!state) return Probe<bool>::ready(true);
    if (!state->active) {
      pqxx::connection conn(admin.conninfo());
      pqxx::nontransaction tx(conn);
      tx.exec_params(
          "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots "
          "WHERE slot_name = $1 AND NOT active",
          slot);
      return Probe<bool>::not_yet("dropped; checking it is gone");
    }
    return Probe<bool>::not_yet("slot active, walsender pid " +
                                std::to_string(state->active_pid.value_or(0)));
  });
}

}  // namespace cdc
