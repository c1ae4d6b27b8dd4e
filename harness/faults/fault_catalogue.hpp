#pragma once
#include <string>
#include <vector>

#include "harness/connector/connector_config.hpp"
#include "harness/faults/fault.hpp"
#include "harness/stack/backend.hpp"
#include "harness/stack/endpoints.hpp"

namespace cdc {

// What faults act on: the stack (its components) and one connector on it.
struct FaultTarget {
  StackBackend& stack;
  StackEndpoints endpoints;
  ConnectorConfig connector;
};

// The faults the harness knows, by name: REST actions on the connector; the Connect worker,
// the Kafka broker and Postgres restarted gracefully, crashed or stalled; the walsender
// terminated; Connect's paths to Postgres and to the broker cut, slowed or narrowed (through
// the native stack's Toxiproxy). See README "Faults under load".
std::vector<std::string> fault_names();
// Any of those, or of a cluster's failovers (failovers.hpp).
Fault make_fault(const std::string& name, const FaultTarget& target);

// Where the pipeline stands: the slot's confirmed_flush_lsn and restart_lsn, and the
// offsets Connect has committed for the connector.
nlohmann::json pipeline_positions(const FaultTarget& target);

}  // namespace cdc
