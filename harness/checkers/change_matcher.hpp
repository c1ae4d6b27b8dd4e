#pragma once
#include <vector>

#include "harness/checkers/anomaly.hpp"
#include "harness/checkers/expected_change.hpp"
#include "harness/model/match_rules.hpp"
#include "harness/observer/change_event.hpp"

namespace cdc {

// The one match of expected changes against observed events.
struct Match {
  Verdict verdict{};
  // Per expected change, in the order given: the positions in `observed` of the events that
  // delivered it, first delivery first. Empty: lost (or, rolled back, rightly never seen).
  std::vector<std::vector<size_t>> deliveries{};
};

// Judges `observed` (in topic order) against `expected` key by key. Only events whose key
// appears among the expected changes are judged; other keys belong to someone else.
//
// Per key, the expected changes are versions in commit order (by commit_lsn where every
// change of the key has one, else as given), with a tombstone after each delete where the
// rules say so. Each event is the next unseen version it can be (same op, same txId where
// known; among several, the one whose images match): a version skipped over and never seen
// is lost; a version never seen before that arrives after a newer one is an order violation;
// a version seen before is a duplicate (a failure exactly once, counted at least once), as
// CockroachDB's order validator has it. An event no version can be is a phantom, unless it
// is some version's change in the wrong transaction. Then, across keys: a transaction must
// be observed whole, and its statements arrive in statement order (the order given).
Match match_changes(const std::vector<ExpectedChange>& expected,
                    const std::vector<ChangeEvent>& observed, const MatchRules& rules);

}  // namespace cdc
