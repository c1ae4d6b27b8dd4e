#include "harness/workload/history.hpp"

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

std::vector<HistoryEntry> History::entries() const {
  std::lock_guard lock(mutex_);
  return entries_;
}

}  // namespace cdc
