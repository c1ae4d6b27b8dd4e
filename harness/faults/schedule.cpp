#include "harness/faults/schedule.hpp"

#include <algorithm>
#include <random>

#include "harness/common/errors.hpp"

namespace cdc {
using std::chrono::milliseconds;

std::vector<ScheduledFault> draw_schedule(uint64_t seed, const std::vector<std::string>& faults,
                                          milliseconds duration, milliseconds interval) {
  if (faults.empty()) throw HarnessError("a fault schedule needs at least one fault");
  if (interval < milliseconds(2000))
    throw HarnessError("--interval must be at least 2 s, to leave a fault room to heal");
  // mt19937_64's output is fixed by the standard; distributions are not, so no distribution.
  std::mt19937_64 random(seed);
  std::vector<ScheduledFault> schedule;
  for (milliseconds slot(0); slot + interval <= duration; slot += interval) {
    const auto half = static_cast<uint64_t>(interval.count() / 2);
    const milliseconds at = slot + milliseconds(static_cast<int64_t>(random() % half));
    const milliseconds room = slot + interval - at - milliseconds(500);
    const milliseconds hold =
        std::min(room, milliseconds(1000 + static_cast<int64_t>(random() % 3000)));
    schedule.push_back({faults[random() % faults.size()], at, hold});
  }
  return schedule;
}

nlohmann::json to_json(const std::vector<ScheduledFault>& schedule) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& s : schedule)
    out.push_back({{"fault", s.fault}, {"at_ms", s.at.count()}, {"hold_ms", s.hold.count()}});
  return out;
}

}  // namespace cdc
