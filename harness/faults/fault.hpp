#pragma once
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace cdc {

// What Debezium promises after a fault heals: nothing lost either way; after a graceful
// one (the task stopped and committed its offsets) no duplicates either.
enum class FaultKind { Graceful, Crash };

// A fault as a value (Jepsen's nemesis): a name, how it starts and how it heals. Starting
// and healing return once the fault is in effect, or healed.
struct Fault {
  std::string name;
  std::string how;  // how it is injected, for people
  FaultKind kind = FaultKind::Crash;
  std::function<void()> start{};
  std::function<void()> heal{};
};

// Several faults as one: started in order, healed in reverse order; a crash if any is.
Fault combined(const std::string& name, std::vector<Fault> faults);

// One fault as it happened, in wall-clock microseconds, with what the pipeline's positions
// were around it (the slot's confirmed_flush_lsn, Connect's committed offset).
struct FaultRecord {
  std::string fault;
  FaultKind kind = FaultKind::Crash;
  int64_t started_us = 0;    // start() called
  int64_t in_effect_us = 0;  // start() returned
  int64_t healing_us = 0;    // heal() called
  int64_t healed_us = 0;     // heal() returned
  nlohmann::json before{};   // positions before the fault
  nlohmann::json after{};    // positions once healed
  int64_t caught_up_us = 0;  // settled: the connector streams and its slot confirmed the WAL
};

nlohmann::json to_json(const FaultRecord& record);

}  // namespace cdc
