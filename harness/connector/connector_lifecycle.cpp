#include "harness/connector/connector_lifecycle.hpp"

#include "harness/common/errors.hpp"
#include "harness/common/timeouts.hpp"
#include "harness/common/wait.hpp"
#include "harness/connector/replication_slot.hpp"

namespace cdc {
using nlohmann::json;
using namespace std::chrono_literals;

void start_connector(const StackEndpoints& endpoints, const ConnectorConfig& connector,
                     const Progress& progress) {
  register_connector(endpoints, connector);
  progress.stage("connector", connector.name + " registered; waiting until it streams");
  wait_until_streaming(endpoints, connector);
}

void register_connector(const StackEndpoints& endpoints, const ConnectorConfig& connector) {
  ConnectorHandle(endpoints.connect_url, connector.name).put_config(connector.config);
}

void wait_until_streaming(const StackEndpoints& endpoints, const ConnectorConfig& connector) {
  ConnectorHandle handle(endpoints.connect_url, connector.name);
  // RUNNING is not streaming: Debezium holds the slot only once the snapshot is done and it
  // has asked Postgres to stream.
  wait_for(
      "connector " + connector.name + " to be RUNNING and streaming from slot '" +
          connector.slot_name() + "'",
      scaled(90s),
      [&] {
        const ConnectorStatus status = handle.status_unless_failed();
        const auto slot = replication_slot(endpoints.admin, connector.slot_name());
        // Nothing streams from an invalidated slot again, however long Debezium retries it.
        if (slot && slot->wal_status == "lost")
          throw HarnessError(
              "connector " + connector.name + " cannot stream: Postgres invalidated its slot '" +
              connector.slot_name() +
              "' (wal_status lost: it fell more than max_slot_wal_keep_size behind), so the "
              "changes since are gone from the WAL; drop the slot and the connector's offsets, "
              "and take a new snapshot");
        if (!status.settled_in(ConnectorState::Running))
          return Probe<bool>::not_yet(status.describe());
        if (!slot) return Probe<bool>::not_yet(status.describe() + "; slot not created yet");
        if (!slot->active)
          return Probe<bool>::not_yet(status.describe() + "; slot exists, not active yet");
        return Probe<bool>::ready(true);
      },
      100ms);  // on every bring-up's path, and cheap
}

void remove_connector(const StackEndpoints& endpoints, const std::string& name,
                      const std::string& slot) {
  ConnectorHandle(endpoints.connect_url, name).remove();
  drop_replication_slot(endpoints.admin, slot);
}

void remove_connectors(const StackEndpoints& endpoints,
                       const std::function<bool(const std::string&)>& matches,
                       const Progress& progress) {
  ConnectClient connect(endpoints.connect_url);
  for (const auto& name : list_connectors(connect)) {
    if (!matches(name)) continue;
    const json settings = ConnectorHandle(endpoints.connect_url, name).config();
    const std::string slot = settings.value("slot.name", "debezium");
    progress.stage("connector", "deleting " + name + " and its slot " + slot);
    remove_connector(endpoints, name, matches(slot) ? slot : "");
  }
}

void remove_all_connectors(const StackEndpoints& endpoints, const Progress& progress) {
  remove_connectors(
      endpoints, [](const std::string&) { return true; }, progress);
  // Slots whose connector is gone pin WAL forever: drop them too, and say so. (This is the
  // harness's own Postgres; on a shared one, remove_connectors with a run's names instead.)
  for (const auto& slot : replication_slots(endpoints.admin)) {
    progress.stage("connector", "dropping replication slot " + slot + " that no connector owns");
    drop_replication_slot(endpoints.admin, slot);
  }
  progress.stage("connector", "no connectors and no replication slots left");
}

}  // namespace cdc
