#pragma once
#include <string>

#include "harness/connector/connector_config.hpp"
#include "harness/observer/fenced_reader.hpp"
#include "harness/stack/endpoints.hpp"

namespace cdc {

// Where a fence went when nothing came to `topic`: the other topics `connector` has written
// (Connect's topic tracking), searched for the fence's marker since the step began. Finds a
// routing SMT or another topic.prefix within seconds of the fence's commit.
WhereElse fence_elsewhere(const StackEndpoints& endpoints, const ConnectorConfig& connector,
                          const std::string& topic);

}  // namespace cdc
