#pragma once
#include <string>

#include "harness/connector/connector_config.hpp"
#include "harness/stack/backend.hpp"
#include "harness/stack/endpoints.hpp"

namespace cdc {

// Where a scenario file runs: a stack, and the connector config its `connector register`
// steps start from (the one `up` registered, with a name, slot and topic prefix of the
// file's own).
struct ScenarioStack {
  StackBackend& backend;
  StackEndpoints endpoints;
  ConnectorConfig base_connector;
  std::string run_id{};      // names the file creates carry it (${run}), so cleanup finds them
  bool keep_topics = false;  // leave the file's topics for a look afterwards
};

}  // namespace cdc
