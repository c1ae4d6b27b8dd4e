#pragma once
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "harness/checkers/anomaly.hpp"
#include "harness/checkers/expected_change.hpp"
#include "harness/model/match_rules.hpp"
#include "harness/observer/change_event.hpp"

namespace cdc {

// An event's images against what an expected change owes under the rules, column by column,
// so the evidence says which value is wrong. `key` is the change's key (a streaming match
// keeps it once per key, not in every change).
void compare_content(Verdict& verdict, const ExpectedChange& want, const nlohmann::json& key,
                     const ChangeEvent& e, const MatchRules& rules);
bool content_matches(const ExpectedChange& want, const nlohmann::json& key, const ChangeEvent& e,
                     const MatchRules& rules);

// The evidence of a partition anomaly: `e` came in another partition than `first`, where its
// key's first event came (Kafka orders a key's events only within one partition).
std::string partition_evidence(const nlohmann::json& key, const ChangeEvent& e, int32_t first);

}  // namespace cdc
