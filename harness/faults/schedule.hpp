#pragma once
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace cdc {

struct ScheduledFault {
  std::string fault;
  std::chrono::milliseconds at{};    // from the start of the load
  std::chrono::milliseconds hold{};  // from start to heal
};

// Which faults, when and for how long, drawn from `seed` alone: the same seed gives the same
// schedule on every machine, so any run can be replayed exactly. One fault per `interval`,
// each at a random point of the first half of its interval and held for 1-4 s (never past
// the interval's end).
std::vector<ScheduledFault> draw_schedule(uint64_t seed, const std::vector<std::string>& faults,
                                          std::chrono::milliseconds duration,
                                          std::chrono::milliseconds interval);

nlohmann::json to_json(const std::vector<ScheduledFault>& schedule);

}  // namespace cdc
