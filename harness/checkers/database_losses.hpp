#pragma once
#include <string>
#include <vector>

#include "harness/checkers/anomaly.hpp"
#include "harness/workload/history.hpp"

namespace cdc {

// What the pipeline owes once Postgres's own losses are taken out of a history: each change
// whose acknowledged commit Postgres lost in a crash becomes one that never committed (no
// event may exist for it), the retractions leave, and each lost change is a lost_by_database
// anomaly: the verdict fails, naming the database, not the pipeline.
struct OwedHistory {
  std::vector<HistoryEntry> entries{};
  Verdict lost_by_database{};
};
OwedHistory owed_by_pipeline(std::vector<HistoryEntry> entries, const std::string& durability);

// The anomaly's sentence: the change, and the durability settings that allowed the loss.
std::string lost_by_database_evidence(const Mutation& change, const std::string& durability);

}  // namespace cdc
