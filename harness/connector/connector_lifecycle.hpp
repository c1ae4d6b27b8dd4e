#pragma once
#include <functional>
#include <string>
#include <vector>

#include "harness/common/progress.hpp"
#include "harness/connector/connector_config.hpp"
#include "harness/stack/endpoints.hpp"

namespace cdc {

// Registers (idempotently: PUT /connectors/{name}/config) and waits until the connector
// and its task are RUNNING and the replication slot is active, i.e. Debezium is streaming.
// Connect's 409 during a rebalance is retried; a rejected config or a FAILED task stops
// at once with Connect's own words.
void start_connector(const StackEndpoints& endpoints, const ConnectorConfig& connector,
                     const Progress& progress);

// The two halves of start_connector, for scenarios that act while a connector starts
// (e.g. write during its initial snapshot).
void register_connector(const StackEndpoints& endpoints, const ConnectorConfig& connector);
void wait_until_streaming(const StackEndpoints& endpoints, const ConnectorConfig& connector);

enum class ConnectorAction { Restart, Pause, Resume, Stop };

// Connect's REST verbs on a running connector: restart (with its tasks), pause, resume, stop.
void apply_to_connector(const StackEndpoints& endpoints, const std::string& name,
                        ConnectorAction action);

// Waits until Connect reports the connector and all its tasks in `state` (RUNNING, PAUSED,
// STOPPED); a FAILED task ends the wait with its trace.
void wait_for_connector_state(const StackEndpoints& endpoints, const std::string& name,
                              const std::string& state);

// Waits until Connect has committed a source offset that says the initial snapshot is
// complete: from then on a restart resumes streaming instead of snapshotting again.
void wait_until_snapshot_committed(const StackEndpoints& endpoints, const std::string& name);

// Stops the connector and resets its offsets (where Connect can), deletes it, waits until
// Connect has let go of it and drops its slot: nothing of it is left anywhere.
void remove_connector(const StackEndpoints& endpoints, const std::string& name,
                      const std::string& slot);

// The names of the connectors Connect runs.
std::vector<std::string> list_connectors(const StackEndpoints& endpoints);

// Removes (as remove_connector) every connector whose name `matches`, with the slot its
// config names if that `matches` too: a run's cleanup on a stack it shares.
void remove_connectors(const StackEndpoints& endpoints,
                       const std::function<bool(const std::string&)>& matches,
                       const Progress& progress);

// Every connector Connect runs, each with its slot, and every slot no connector owns: for
// the teardown of a stack the harness runs.
void remove_all_connectors(const StackEndpoints& endpoints, const Progress& progress);

}  // namespace cdc
