#pragma once
#include <nlohmann/json.hpp>

#include "harness/stack/endpoints.hpp"

namespace cdc {

// What a stack holds that a run could have created or changed: connectors, replication
// slots, topics, consumer groups, tables, sequences and publications in public, and
// public.customers (row count and a digest of its rows). Two inventories taken before and
// after a run on a shared stack must be equal; `cdc-harness inventory` prints one.
nlohmann::json stack_inventory(const StackEndpoints& endpoints);

}  // namespace cdc
