#pragma once
#include <string>

#include "harness/connector/connector_config.hpp"
#include "harness/model/match_rules.hpp"
#include "harness/stack/endpoints.hpp"

namespace cdc {

// How Debezium renders changes of `table` through `connector`: the table's REPLICA IDENTITY
// (asked of Postgres) and the connector's tombstones.on.delete, with the delivery guarantee
// the caller judges under.
MatchRules rendering_rules(const PostgresEndpoint& postgres, const std::string& table,
                           const ConnectorConfig& connector, Delivery delivery);

}  // namespace cdc
