#include "harness/workload/history.hpp"

#include <algorithm>
#include <utility>

namespace cdc {

void History::record(HistoryEntry entry) {
  std::lock_guard lock(mutex_);
  entries_.push_back(std::move(entry));
}

void History::record_transaction(std::vector<Mutation> changes, bool committed,
                                 int64_t intended_start_us, int64_t commit_return_us,
                                 std::optional<int64_t> commit_lsn) {
  std::lock_guard lock(mutex_);
  for (auto& change : changes) {
    entries_.push_back(HistoryEntry{std::move(change), committed, commit_lsn, intended_start_us,
                                    commit_return_us});
  }
}

void History::record_lost_by_database(std::vector<Mutation> changes, int64_t commit_return_us,
                                      const std::string& durability) {
  std::lock_guard lock(mutex_);
  durability_ = durability;
  for (auto& change : changes) {
    HistoryEntry entry{std::move(change), true, std::nullopt, 0, commit_return_us};
    entry.lost_by_database = true;
    entries_.push_back(std::move(entry));
  }
}

std::string History::durability() const {
  std::lock_guard lock(mutex_);
  return durability_;
}

std::vector<HistoryEntry> History::entries() const {
  std::lock_guard lock(mutex_);
  return entries_;
}

std::vector<HistoryEntry> History::take_entries() {
  std::lock_guard lock(mutex_);
  return std::exchange(entries_, {});
}

void History::open_sessions(int count) {
  std::lock_guard lock(mutex_);
  sessions_through_.assign(static_cast<size_t>(count), 0);
}

void History::note_recorded_through(int session, int64_t us) {
  std::lock_guard lock(mutex_);
  const auto at = static_cast<size_t>(session);
  if (at < sessions_through_.size()) sessions_through_[at] = us;
}

int64_t History::recorded_through() const {
  std::lock_guard lock(mutex_);
  if (sessions_through_.empty()) return kEveryTransaction;
  return *std::min_element(sessions_through_.begin(), sessions_through_.end());
}

}  // namespace cdc
