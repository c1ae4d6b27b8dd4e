#pragma once
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "harness/common/progress.hpp"
#include "harness/faults/fault.hpp"
#include "harness/faults/schedule.hpp"
#include "harness/model/outage.hpp"

namespace cdc {

// A fault made, and when to inject it.
struct PlannedFault {
  ScheduledFault when{};
  Fault fault{};
};

// One fault started and healed, recorded as the nemesis records each of its own: the
// pipeline's positions before, and the wall-clock times of start, in effect, healing and
// healed. The scenario file's `fault` step and the nemesis share them.
FaultRecord inject(const Fault& fault, const std::function<nlohmann::json()>& positions,
                   const Progress& progress);
void heal(const Fault& fault, FaultRecord& record, const Progress& progress);

// How a fault waits for the one before it. Without `wait`, the schedule alone says when
// (faults may then hit a pipeline still recovering, as in production). With it, each heal
// is followed by `wait` (the pipeline streams again and has caught up), and the next fault
// starts no earlier than `gap` after that, so each fault is judged on a recovered pipeline.
struct Settling {
  std::function<void()> wait{};
  std::chrono::milliseconds gap{0};
};

// Jepsen's nemesis: on a thread of its own, from `begin`, each planned fault is started at
// its time and healed after its hold, with wall-clock times and the pipeline's positions
// (`positions`) recorded around it. The schedule is the clock here, not synchronisation.
// `done` runs on that thread once the last fault has healed (and settled), or the schedule
// failed: the load's end can follow it.
class Nemesis {
 public:
  Nemesis(std::vector<PlannedFault> plan, std::function<nlohmann::json()> positions,
          Progress progress, Settling settling = {}, std::function<void()> done = {});
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
  Settling settling_;
  std::function<void()> done_;
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
