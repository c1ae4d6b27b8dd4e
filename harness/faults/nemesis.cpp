#include "harness/faults/nemesis.hpp"

#include <algorithm>

#include "harness/common/clock.hpp"
#include "harness/common/errors.hpp"

namespace cdc {

FaultRecord inject(const Fault& fault, const std::function<nlohmann::json()>& positions,
                   const Progress& progress) {
  FaultRecord record;
  record.fault = fault.name;
  record.kind = fault.kind;
  record.before = positions();
  progress.stage("fault", fault.name + ": " + fault.how);
  record.started_us = now_us();
  fault.start();
  record.in_effect_us = now_us();
  return record;
}

void heal(const Fault& fault, FaultRecord& record, const Progress& progress) {
  record.healing_us = now_us();
  fault.heal();
  record.healed_us = now_us();
  progress.stage("fault", fault.name + " healed");
}

Nemesis::Nemesis(std::vector<PlannedFault> plan, std::function<nlohmann::json()> positions,
                 Progress progress, Settling settling, std::function<void()> done)
    : plan_(std::move(plan)),
      positions_(std::move(positions)),
      progress_(std::move(progress)),
      settling_(std::move(settling)),
      done_(std::move(done)) {}

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
    // Runs `done` however the thread ends.
    struct Done {
      const std::function<void()>& done;
      ~Done() {
        if (done) done();
      }
    } done{done_};
    auto not_before = begin;
    try {
      for (const auto& [when, fault] : plan_) {
        const auto at = std::max(begin + when.at, not_before);
        if (!sleep_until(at)) return;
        FaultRecord record = inject(fault, positions_, progress_);
        const bool go_on = sleep_until(at + when.hold);  // healed early if told to stop
        heal(fault, record, progress_);
        records_.push_back(std::move(record));
        if (settling_.wait && go_on) {
          settling_.wait();
          records_.back().caught_up_us = now_us();
          records_.back().after = positions_();
          progress_.stage("fault", fault.name + ": the pipeline caught up");
          not_before = std::chrono::steady_clock::now() + settling_.gap;
        }
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
