#include "harness/checkers/change_checks.hpp"

namespace cdc {
using nlohmann::json;

Verdict check_events(const std::vector<ChangeEvent>& observed,
                     const std::vector<ExpectedChange>& expected, const MatchRules& rules) {
  return match_changes(expected, observed, rules).verdict;
}

Verdict check_history(const std::vector<HistoryEntry>& history,
                      const std::vector<ChangeEvent>& observed, const MatchRules& rules) {
  return match_changes(expected_changes(history), observed, rules).verdict;
}

Verdict check_each_row_once(const std::vector<ChangeEvent>& observed, const std::vector<int>& ids) {
  std::vector<ExpectedChange> rows;
  rows.reserve(ids.size());
  for (const int id : ids) rows.push_back(expect::arrival(json{{"id", id}}));
  return match_changes(rows, observed, MatchRules{.delivery = Delivery::ExactlyOnce}).verdict;
}

std::map<std::string, json> table_state(const std::vector<ChangeEvent>& events) {
  std::map<std::string, json> state;
  for (const auto& event : events) {
    if (event.op == Op::Delete) state.erase(event.key.dump());
    if ((event.op == Op::Read || event.op == Op::Create || event.op == Op::Update) && event.after) {
      state[event.key.dump()] = *event.after;
    }
  }
  return state;
}

}  // namespace cdc
