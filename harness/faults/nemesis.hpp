#pragma once
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "harness/checkers/liveness.hpp"
#include "harness/common/progress.hpp"
#include "harness/faults/fault.hpp"
#include "harness/faults/schedule.hpp"

namespace cdc {

// A fault made, and when to inject it.
struct PlannedFault {
  ScheduledFault when{};
  Fault fault{};
};

// Jepsen's nemesis: on a thread of its own, from `begin`, each planned fault is started at
// its time and healed after its hold, with wall-clock times and the pipeline's positions
// (`positions`) recorded around it. The schedule is the clock here, not synchronisation.
class Nemesis {
 public:
  Nemesis(std::vector<PlannedFault> plan, std::function<nlohmann::json()> positions,
          Progress progress);
  // Stops early: a fault in effect is healed, no further one is started.
  ~Nemesis();

  void start(std::chrono::steady_clock::time_point begin);
  // Waits until every fault healed; rethrows (as a HarnessError) what a fault threw.
  std::vector<FaultRecord> join();

  // Each record's positions once the pipeline has recovered.
  static void record_positions_after(std::vector<FaultRecord>& records,
                                     const std::function<nlohmann::json()>& positions);

 private:
  std::vector<PlannedFault> plan_;
  std::function<nlohmann::json()> positions_;
  Progress progress_;
  // Returns false if the nemesis was told to stop first.
  bool sleep_until(std::chrono::steady_clock::time_point at);

  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
  std::vector<FaultRecord> records_;
  std::string error_;
};

// The spans in which the pipeline may stand still, for the liveness checker.
std::vector<Outage> outages_of(const std::vector<FaultRecord>& records);

}  // namespace cdc
