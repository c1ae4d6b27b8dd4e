#pragma once
#include <string>

#include "harness/common/progress.hpp"
#include "harness/stack/endpoints.hpp"

namespace cdc {

// On a stack the harness shares with others (the external backend), a run removes exactly
// what it created, found by the run id that every such name carries: its connectors (each
// with its slot), then replication slots, topics, the consumer groups that read them,
// tables/sequences/publications in public, and the rows of public.customers whose email carries the
// id. Everything else is left alone. Idempotent; what cannot be removed is named, and the rest
// still goes.
void remove_run_objects(const StackEndpoints& endpoints, const std::string& run_id,
                        const Progress& progress);

}  // namespace cdc
