#include "harness/faults/fault.hpp"

#include <algorithm>

namespace cdc {

Fault combined(const std::string& name, std::vector<Fault> faults) {
  Fault all;
  all.name = name;
  all.kind = FaultKind::Graceful;
  for (const auto& f : faults) {
    all.how += (all.how.empty() ? "" : "; ") + f.how;
    if (f.kind == FaultKind::Crash) all.kind = FaultKind::Crash;
  }
  all.start = [faults] {
    for (const auto& f : faults) f.start();
  };
  all.heal = [faults] {
    for (auto it = faults.rbegin(); it != faults.rend(); ++it) it->heal();
  };
  return all;
}

nlohmann::json to_json(const FaultRecord& r) {
  nlohmann::json j = {{"fault", r.fault},
                      {"kind", r.kind == FaultKind::Graceful ? "graceful" : "crash"},
                      {"started_us", r.started_us},
                      {"in_effect_us", r.in_effect_us},
                      {"healing_us", r.healing_us},
                      {"healed_us", r.healed_us},
                      {"positions_before", r.before},
                      {"positions_after", r.after}};
  if (r.caught_up_us) j["caught_up_us"] = r.caught_up_us;
  return j;
}

}  // namespace cdc
