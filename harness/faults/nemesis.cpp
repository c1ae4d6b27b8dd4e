#include "harness/faults/nemesis.hpp"

#include "harness/checkers/liveness.hpp"
#include "harness/common/clock.hpp"
#include "harness/common/errors.hpp"

namespace cdc {

Nemesis::Nemesis(std::vector<PlannedFault> plan, std::function<nlohmann::json()> positions,
                 Progress progress)
    : plan_(std::move(plan)), positions_(std::move(positions)), progress_(std::move(progress)) {}

Nemesis::~Nemesis() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool Nemesis::sleep_until(std::chrono::steady_clock::time_point at) {
  std::unique_lock lock(mutex_);
  return !wake_.wait_until(lock, at, [this] { return stopping_; });
}

void Nemesis::start(std::chrono::steady_clock::time_point begin) {
  thread_ = std::thread([this, begin] {
    try {
      for (const auto& [when, fault] : plan_) {
        if (!sleep_until(begin + when.at)) return;
        FaultRecord record;
        record.fault = fault.name;
        record.kind = fault.kind;
        record.before = positions_();
        progress_.stage("fault", fault.name + ": " + fault.how);
        record.started_us = now_us();
        fault.start();
        record.in_effect_us = now_us();
        sleep_until(begin + when.at + when.hold);  // healed early if told to stop
        record.healing_us = now_us();
        fault.heal();
        record.healed_us = now_us();
        progress_.stage("fault", fault.name + " healed");
        records_.push_back(std::move(record));
      }
    } catch (const std::exception& e) {
      error_ = e.what();
    }
  });
}

std::vector<FaultRecord> Nemesis::join() {
  if (thread_.joinable()) thread_.join();
  if (!error_.empty()) throw HarnessError("the fault schedule failed: " + error_);
  return records_;
}

void Nemesis::record_positions_after(std::vector<FaultRecord>& records,
                                     const std::function<nlohmann::json()>& positions) {
  const nlohmann::json now = positions();
  for (auto& r : records) r.after = now;
}

std::vector<Outage> outages_of(const std::vector<FaultRecord>& records) {
  std::vector<Outage> outages;
  for (const auto& r : records) outages.push_back({r.started_us, r.healed_us, r.fault});
  return outages;
}

}  // namespace cdc
