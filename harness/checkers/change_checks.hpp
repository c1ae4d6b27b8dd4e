#pragma once
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/checkers/change_matcher.hpp"
#include "harness/workload/history.hpp"

namespace cdc {

// The checks scenarios and reports use: each a view over the one match (change_matcher).

// The events a scenario expects, judged under the rules (every anomaly, typed).
Verdict check_events(const std::vector<ChangeEvent>& observed,
                     const std::vector<ExpectedChange>& expected, const MatchRules& rules = {});

// Everything a workload recorded, committed and rolled back, against the stream.
Verdict check_history(const std::vector<HistoryEntry>& history,
                      const std::vector<ChangeEvent>& observed, const MatchRules& rules = {});

// Each row in `ids` arrives exactly once, as a snapshot read or a create, whichever side of
// the snapshot/stream boundary it fell on.
Verdict check_each_row_once(const std::vector<ChangeEvent>& observed, const std::vector<int>& ids);

// The table as the events say it is: for each key, the last after image (deletes remove it).
std::map<std::string, nlohmann::json> table_state(const std::vector<ChangeEvent>& events);

}  // namespace cdc
