#pragma once
#include <string>

#include "harness/connector/connector_config.hpp"
#include "harness/stack/endpoints.hpp"

namespace cdc {

// One change to public.customers, as it arrived.
struct PipelineCheck {
  std::string topic{};
  double seconds = 0;  // from its commit to its event read
  std::string key{};   // as it came: {"id": …}
};

// Sends one change through `connector` and reads it back as every scenario reads changes:
// on the connector's topic for public.customers, keyed by the table's primary key, in an
// envelope the decoder reads. The row (emails "<tag>-…") is deleted afterwards. The first
// cause otherwise, in one line: PipelineMismatch (`key:`, `topic:`), DecodeError (the
// record, its first bytes), TimeoutError (nothing came anywhere).
PipelineCheck check_pipeline(const StackEndpoints& endpoints, const ConnectorConfig& connector,
                             const std::string& tag);

}  // namespace cdc
