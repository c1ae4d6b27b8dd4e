#pragma once
#include <string>

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

// Deletes the connector, waits until Connect has let go of it and drops its slot.
void remove_connector(const StackEndpoints& endpoints, const std::string& name,
                      const std::string& slot);

// Every connector Connect runs, each with its slot: for teardown and for `down`.
void remove_all_connectors(const StackEndpoints& endpoints, const Progress& progress);

}  // namespace cdc
