#include "harness/experiment/step_check.hpp"

#include <thread>

#include "harness/common/clock.hpp"
#include "harness/common/errors.hpp"
#include "harness/common/interrupt.hpp"
#include "harness/common/timeouts.hpp"
#include "harness/observer/receiving.hpp"
#include "harness/workload/customers_workload.hpp"

namespace cdc {
using namespace std::chrono_literals;

StepCheck::StepCheck(TopicObserver& observer, CustomersWorkload& fences, History& history,
                     const MatchRules& rules, std::chrono::milliseconds interval)
    : observer_(observer),
      fences_(fences),
      history_(history),
      matcher_(rules),
      interval_(interval) {}

void StepCheck::take_received() {
  std::vector<ChangeEvent> fresh = observer_.take_events();
  if (pending_.empty()) {
    pending_ = std::move(fresh);
    return;
  }
  pending_.insert(pending_.end(), std::make_move_iterator(fresh.begin()),
                  std::make_move_iterator(fresh.end()));
}

void StepCheck::write_fence() {
  fence_ = fence_row(fences_.fence(), "email");
  fence_keys_.insert(fence_->key.dump());
  // Taken once the fence's COMMIT returned: whatever committed before the fence was sent
  // before this.
  fence_written_us_ = now_us();
  fence_seen_ = false;
}

bool StepCheck::fence_received() {
  for (; !fence_seen_ && scanned_ < pending_.size(); ++scanned_) {
    const ChangeEvent& e = pending_[scanned_];
    if (is_fence(e, *fence_)) {
      if (auto mismatch = key_mismatch(e, *fence_); !mismatch.empty())
        throw PipelineMismatch(mismatch);
      fence_seen_ = true;
      fence_at_ = scanned_;
    }
  }
  return fence_seen_;
}

void StepCheck::judge_to_fence() {
  Batch batch{history_.take_entries(), {}};
  batch.events.reserve(fence_at_);
  for (size_t i = 0; i < fence_at_; ++i) {
    ChangeEvent& e = pending_[i];
    if (fence_keys_.count(e.key.dump())) continue;
    if (!e.is_tombstone()) ++events_;
    batch.events.push_back(std::move(e));
  }
  pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(fence_at_ + 1));
  scanned_ = 0;
  fence_.reset();
  batches_.push(std::move(batch));
}

void StepCheck::judge_batches() {
  while (auto batch = batches_.pop()) {
    try {
      const std::string durability = history_.durability();
      for (const auto& entry : batch->entries) matcher_.expect(entry, durability);
      for (const auto& event : batch->events) matcher_.observe(event);
    } catch (const std::exception& e) {
      judge_error_ = e.what();
      while (batches_.pop()) {
      }  // the rest is not judged; the consumer must not wait on it
      return;
    }
  }
}

// One step of the consumer's loop: writes a fence when one is due, judges up to it once both
// the fence and the history are in.
void StepCheck::poll_checkpoint() {
  if (!fence_) {
    if (std::chrono::steady_clock::now() < next_fence_) return;
    write_fence();
    next_fence_ = std::chrono::steady_clock::now() + interval_;
    return;
  }
  if (!fence_received() || history_.recorded_through() < fence_written_us_) return;
  judge_to_fence();
}

void StepCheck::await_fence_and_history(const std::string& what) {
  const auto timeout = scaled(60s);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!fence_received() || history_.recorded_through() < fence_written_us_) {
    throw_if_interrupted();
    if (std::chrono::steady_clock::now() >= deadline) {
      const std::string last = pending_.empty() ? "no events" : brief(pending_.back());
      throw TimeoutError(
          "timed out after " + std::to_string(timeout.count() / 1000) + "s waiting for " + what +
          " on topic " + observer_.topic() + ": " +
          (fence_seen_ ? "the fence arrived, but the sessions have not recorded what they sent "
                         "before it"
                       : "the fence row " + fence_->key.dump() + " has not arrived") +
          "; " + std::to_string(pending_.size()) + " events held, last seen: " + last +
          (observer_.last_trouble().empty() ? "" : " (kafka: " + observer_.last_trouble() + ")"));
    }
    observer_.receive(100ms);
    take_received();
  }
}

void StepCheck::skip_to_fence() {
  take_received();
  write_fence();
  await_fence_and_history("a fence row (everything before it belongs to no step)");
  pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(fence_at_ + 1));
  scanned_ = 0;
  fence_.reset();
}

StepOutcome StepCheck::run(const std::function<void()>& load) {
  next_fence_ = std::chrono::steady_clock::now() + interval_;
  std::thread judge([&] { judge_batches(); });
  const auto stop_judging = [&] {
    batches_.close();
    judge.join();
  };
  try {
    while_receiving(observer_, load, [&] {
      take_received();
      poll_checkpoint();
    });
    // The fence in flight (if any), then a last one committed after the load.
    if (fence_) {
      await_fence_and_history("a checkpoint's fence row");
      judge_to_fence();
    }
    write_fence();
    await_fence_and_history("the step's last fence row (committed after the load)");
    judge_to_fence();
  } catch (...) {
    stop_judging();
    throw;
  }
  stop_judging();
  if (!judge_error_.empty())
    throw HarnessError("judging " + observer_.topic() + " failed: " + judge_error_);
  StepOutcome outcome;
  outcome.verdict = matcher_.finish();
  outcome.latency = std::move(matcher_).latency();
  outcome.events = events_;
  return outcome;
}

}  // namespace cdc
