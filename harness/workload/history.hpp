#pragma once
#include <cstdint>
#include <limits>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "harness/workload/mutation.hpp"

namespace cdc {

// One change the workload made, with what happened to its transaction and when: the
// oracle the observed events are judged against (Jepsen-style, after the fact).
struct HistoryEntry {
  Mutation change{};
  bool committed = true;                // false: its transaction rolled back, so no event may exist
  std::optional<int64_t> commit_lsn{};  // see Mutation::commit_lsn; unknown for some histories
  int64_t intended_start_us = 0;        // open loop: when it was due; closed loop: when it began
  int64_t commit_return_us = 0;         // when COMMIT (or ROLLBACK) returned to the client
  // A retraction: Postgres acknowledged this change's commit (recorded before as committed)
  // and lost it in a crash. The pipeline owes no event for it; the verdict names the loss.
  bool lost_by_database = false;
};

// Thread-safe: several workload sessions record into one history.
class History {
 public:
  void record(HistoryEntry entry);
  void record_transaction(std::vector<Mutation> changes, bool committed, int64_t intended_start_us,
                          int64_t commit_return_us,
                          std::optional<int64_t> commit_lsn = std::nullopt);
  // Changes of a commit Postgres acknowledged and, as it showed after a crash, lost;
  // `durability` names the settings in force ("synchronous_commit=off, fsync=on, …").
  void record_lost_by_database(std::vector<Mutation> changes, int64_t commit_return_us,
                               const std::string& durability);
  std::string durability() const;  // "" until a loss is recorded
  std::vector<HistoryEntry> entries() const;
  // Hands over what was recorded since the last take (a streaming check keeps none of it).
  std::vector<HistoryEntry> take_entries();

  // A watermark for checking while the load runs: every transaction sent before
  // recorded_through() (wall clock, µs) has been recorded. Sessions are opened first (each
  // at 0: nothing recorded), then each says how far it has recorded, and closes when done.
  static constexpr int64_t kEveryTransaction = std::numeric_limits<int64_t>::max();
  void open_sessions(int count);
  void note_recorded_through(int session, int64_t us);
  int64_t recorded_through() const;

 private:
  mutable std::mutex mutex_;
  std::vector<HistoryEntry> entries_;
  std::string durability_;
  std::vector<int64_t> sessions_through_;  // none opened: nothing outstanding
};

}  // namespace cdc
