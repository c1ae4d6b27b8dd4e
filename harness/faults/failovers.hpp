#pragma once
#include <optional>
#include <string>
#include <vector>

#include "harness/faults/fault.hpp"
#include "harness/faults/fault_catalogue.hpp"

namespace cdc {

// Faults a cluster survives by failing over (a stack of 3 brokers and 2 workers, see
// `up --brokers 3 --workers 2`):
//   kafka-leader-crash       SIGKILL the broker leading the change topic's partition, wait
//                            until another leads it; heal: start it again
//   connect-worker-failover  SIGKILL the worker running the connector's task, wait until
//                            the task runs on another; heal: start it again
//   kafka-rolling-restart    each broker in turn stopped and started, the next only once
//                            the partition is fully in sync again
//   connect-rolling-restart  each worker in turn stopped and started, the next only once
//                            the task runs again
// On a stack without enough nodes, making one is a one-line error saying how to get them.
std::vector<std::string> failover_fault_names();
std::optional<Fault> make_failover(const std::string& name, const FaultTarget& target);

// Whether the stack has what failover faults need.
bool can_fail_over(const StackBackend& stack);

}  // namespace cdc
