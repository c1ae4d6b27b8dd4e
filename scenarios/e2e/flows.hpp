#pragma once
#include "scenarios/e2e/pipeline.hpp"

namespace cdc::scenarios {

// Each flow acts on rows of its own through the workload, reads `connector`'s change topic
// through a fence, and checks the events for its keys: content, order, no duplicates, no
// extras (exactly once: nothing here is a fault). Run against the shared connector they
// must pass; run against a deliberately broken connector they must fail with the anomaly
// that names the defect.

// Rows inserted before `connector` starts arrive as op=r reads. Starts its own connector
// (derived from `connector`) after the inserts.
Verdict snapshot_flow(const Pipeline& pipeline,
                      const std::function<void(nlohmann::json&)>& change = {});
Verdict insert_flow(const Pipeline& pipeline, const ConnectorConfig& connector);
Verdict update_flow(const Pipeline& pipeline, const ConnectorConfig& connector);
Verdict delete_flow(const Pipeline& pipeline, const ConnectorConfig& connector);
Verdict transaction_flow(const Pipeline& pipeline, const ConnectorConfig& connector);
Verdict rollback_flow(const Pipeline& pipeline, const ConnectorConfig& connector);

}  // namespace cdc::scenarios
