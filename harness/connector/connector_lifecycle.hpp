#pragma once
#include <functional>
#include <string>
#include <vector>

#include "harness/common/progress.hpp"
#include "harness/connector/connector_config.hpp"
#include "harness/connector/connector_handle.hpp"
#include "harness/stack/endpoints.hpp"

namespace cdc {

// Registers (idempotently) and waits until the connector and its task are RUNNING and the
// replication slot is active, i.e. Debezium is streaming. A rejected config or a FAILED
// task stops at once with Connect's own words.
void start_connector(const StackEndpoints& endpoints, const ConnectorConfig& connector,
                     const Progress& progress);

// The two halves of start_connector, for scenarios that act while a connector starts
// (e.g. write during its initial snapshot).
void register_connector(const StackEndpoints& endpoints, const ConnectorConfig& connector);
void wait_until_streaming(const StackEndpoints& endpoints, const ConnectorConfig& connector);

// Removes the connector (ConnectorHandle::remove) and drops its slot: nothing of it is left
// anywhere. An empty `slot` leaves slots alone.
void remove_connector(const StackEndpoints& endpoints, const std::string& name,
                      const std::string& slot);

// Removes (as remove_connector) every connector whose name `matches`, with the slot its
// config names if that `matches` too: a run's cleanup on a stack it shares.
void remove_connectors(const StackEndpoints& endpoints,
                       const std::function<bool(const std::string&)>& matches,
                       const Progress& progress);

// Every connector Connect runs, each with its slot, and every slot no connector owns: for
// the teardown of a stack the harness runs.
void remove_all_connectors(const StackEndpoints& endpoints, const Progress& progress);

}  // namespace cdc
