#include "harness/checkers/database_losses.hpp"

#include "harness/checkers/expected_change.hpp"

namespace cdc {

namespace {

bool same_change(const Mutation& a, const Mutation& b) {
  return a.op == b.op && a.tx_id == b.tx_id && a.key == b.key && a.after == b.after;
}

}  // namespace

std::string lost_by_database_evidence(const Mutation& change, const std::string& durability) {
  return describe_change(OpSet(change.op), change.key,
                         change.tx_id ? std::optional(change.tx_id) : std::nullopt) +
         ": Postgres acknowledged its commit and lost it in a crash (it was gone once Postgres "
         "was back; " +
         (durability.empty() ? std::string("durability settings unknown") : durability) +
         "): the database's loss, not the pipeline's";
}

OwedHistory owed_by_pipeline(std::vector<HistoryEntry> entries, const std::string& durability) {
  OwedHistory owed;
  owed.entries.reserve(entries.size());
  for (auto& entry : entries) {
    if (!entry.lost_by_database) {
      owed.entries.push_back(std::move(entry));
      continue;
    }
    // The latest recording of the same change is the commit Postgres lost.
    for (auto it = owed.entries.rbegin(); it != owed.entries.rend(); ++it) {
      if (it->committed && !it->lost_by_database && same_change(it->change, entry.change)) {
        it->committed = false;
        it->lost_by_database = true;
        break;
      }
    }
    owed.lost_by_database.add(AnomalyKind::LostByDatabase, entry.change.key, entry.change.op,
                              entry.change.tx_id ? std::optional(entry.change.tx_id) : std::nullopt,
                              lost_by_database_evidence(entry.change, durability));
  }
  return owed;
}

}  // namespace cdc
