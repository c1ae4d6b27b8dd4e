#include "harness/checkers/change_matcher.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <unordered_map>

#include "harness/checkers/content_check.hpp"

namespace cdc {
using nlohmann::json;

namespace {

constexpr size_t kNone = std::numeric_limits<size_t>::max();

// One version of a key: an expected change, or the tombstone a delete owes.
struct Version {
  size_t expected = kNone;  // index into the caller's expectations; kNone for a tombstone
  const ExpectedChange* change = nullptr;
  OpSet ops = Op::Tombstone;
  std::optional<int64_t> tx_id;
  std::vector<size_t> deliveries;

  bool can_be(const ChangeEvent& e) const {
    return ops.has(e.op) && (!tx_id || e.source.tx_id == tx_id);
  }
  std::string describe(const json& key) const {
    return change ? change->describe() : "op=tombstone key=" + key.dump();
  }
};

void compare_content(Verdict& verdict, const Version& v, const ChangeEvent& e,
                     const MatchRules& rules) {
  if (v.change) compare_content(verdict, *v.change, v.change->key, e, rules);
}

bool content_matches(const Version& v, const ChangeEvent& e, const MatchRules& rules) {
  return !v.change || content_matches(*v.change, v.change->key, e, rules);
}

// The versions of one key in commit order, each delete followed by its tombstone.
std::vector<Version> versions_of(const std::vector<size_t>& indexes,
                                 const std::vector<ExpectedChange>& expected,
                                 const MatchRules& rules) {
  std::vector<size_t> order = indexes;
  const bool all_positioned = std::all_of(
      order.begin(), order.end(), [&](size_t i) { return expected[i].commit_lsn.has_value(); });
  if (all_positioned) {
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      return *expected[a].commit_lsn < *expected[b].commit_lsn;
    });
  }
  std::vector<Version> versions;
  for (const size_t i : order) {
    const ExpectedChange& change = expected[i];
    if (!change.committed) continue;
    versions.push_back(Version{i, &change, change.ops, change.tx_id, {}});
    if (change.ops.has(Op::Delete) && rules.tombstones == Tombstones::AfterDelete) {
      versions.push_back(Version{kNone, nullptr, Op::Tombstone, std::nullopt, {}});
    }
  }
  return versions;
}

// The first version in [from, to) that `e` can be and `pick` accepts; among several, one
// whose content matches.
template <typename Pick>
size_t find_version(const std::vector<Version>& versions, size_t from, size_t to,
                    const ChangeEvent& e, const MatchRules& rules, Pick pick) {
  size_t first = kNone;
  for (size_t i = from; i < to && i < versions.size(); ++i) {
    if (!versions[i].can_be(e) || !pick(versions[i])) continue;
    if (content_matches(versions[i], e, rules)) return i;
    if (first == kNone) first = i;
  }
  return first;
}

struct KeyMatch {
  std::vector<Version> versions;
  std::vector<size_t> unexplained;  // observed positions no version can be
};

void judge_key(const json& key, KeyMatch& km, const std::vector<size_t>& events,
               const std::vector<ChangeEvent>& observed,
               const std::vector<const ExpectedChange*>& rolled_back, const MatchRules& rules,
               Verdict& verdict) {
  auto& versions = km.versions;
  const auto unseen = [](const Version& v) { return v.deliveries.empty(); };
  const auto seen = [](const Version& v) { return !v.deliveries.empty(); };
  size_t newest = kNone;            // the newest version delivered so far
  std::vector<int32_t> partitions;  // where the key's events came, the first one first
  for (const size_t at : events) {
    const ChangeEvent& e = observed[at];
    if (partitions.empty()) partitions.push_back(e.kafka.partition);
    if (std::find(partitions.begin(), partitions.end(), e.kafka.partition) == partitions.end()) {
      partitions.push_back(e.kafka.partition);
      verdict.add(AnomalyKind::Partition, key, e.op, e.source.tx_id,
                  partition_evidence(key, e, partitions.front()));
    }
    const size_t after_newest = newest == kNone ? 0 : newest + 1;
    size_t v = find_version(versions, after_newest, versions.size(), e, rules, unseen);
    bool stale = false;
    if (v == kNone) {
      v = find_version(versions, 0, after_newest, e, rules, unseen);
      stale = v != kNone;
    }
    if (v != kNone) {
      Version& version = versions[v];
      version.deliveries.push_back(at);
      ++verdict.matched;
      compare_content(verdict, version, e, rules);
      if (stale) {
        verdict.add(AnomalyKind::Order, key, e.op, e.source.tx_id,
                    "key " + key.dump() + ": " + version.describe(key) + " arrived (" + brief(e) +
                        ") after " + versions[newest].describe(key) + ", which committed later");
      } else {
        newest = v;
      }
      continue;
    }
    v = find_version(versions, 0, versions.size(), e, rules, seen);
    if (v != kNone) {
      versions[v].deliveries.push_back(at);
      verdict.add(AnomalyKind::Duplicate, key, e.op, e.source.tx_id,
                  brief(e) + " delivers " + versions[v].describe(key) + " again (first at offset " +
                      std::to_string(observed[versions[v].deliveries.front()].kafka.offset) + ")");
      continue;
    }
    const bool undone = std::any_of(rolled_back.begin(), rolled_back.end(), [&](auto* c) {
      return c->ops.has(e.op) && (!c->tx_id || c->tx_id == e.source.tx_id);
    });
    if (undone) {
      verdict.add(AnomalyKind::Phantom, key, e.op, e.source.tx_id,
                  brief(e) + " belongs to a transaction that rolled back");
    } else {
      km.unexplained.push_back(at);
    }
  }
}

// Leftovers of one key: an event that is a lost version's change in another transaction is
// that; the rest are lost versions and phantoms.
void judge_leftovers(const json& key, KeyMatch& km, const std::vector<ChangeEvent>& observed,
                     const MatchRules& rules, Verdict& verdict) {
  for (const size_t at : km.unexplained) {
    const ChangeEvent& e = observed[at];
    auto it = std::find_if(km.versions.begin(), km.versions.end(), [&](const Version& v) {
      return v.deliveries.empty() && v.ops.has(e.op);
    });
    if (it == km.versions.end()) {
      verdict.add(AnomalyKind::Phantom, key, e.op, e.source.tx_id,
                  brief(e) + " has no expected change behind it");
      continue;
    }
    it->deliveries.push_back(at);
    ++verdict.matched;
    verdict.add(AnomalyKind::Transaction, key, e.op, e.source.tx_id,
                it->describe(key) + " arrived in transaction " +
                    (e.source.tx_id ? std::to_string(*e.source.tx_id) : "none") + " (" + brief(e) +
                    ")");
    compare_content(verdict, *it, e, rules);
  }
  std::string observed_ops;
  for (const auto& v : km.versions) {
    for (const size_t at : v.deliveries) observed_ops += to_string(observed[at].op) + " ";
  }
  for (const auto& v : km.versions) {
    if (!v.deliveries.empty()) continue;
    verdict.add(AnomalyKind::Lost, key, v.ops.first(), v.tx_id,
                v.describe(key) + " was never observed" +
                    (observed_ops.empty() ? " (nothing arrived for this key)"
                                          : " (this key got: " + observed_ops + ")"));
  }
}

// Across keys: every transaction whole, its statements in statement order, LSNs not falling
// (order only among statements that came in the same partition: Kafka orders no more).
void judge_transactions(const std::vector<ExpectedChange>& expected,
                        const std::vector<std::vector<size_t>>& deliveries,
                        const std::vector<ChangeEvent>& observed, Verdict& verdict) {
  std::map<int64_t, std::vector<size_t>> statements;  // txId -> expected indexes, in order
  for (size_t i = 0; i < expected.size(); ++i) {
    if (expected[i].committed && expected[i].tx_id) statements[*expected[i].tx_id].push_back(i);
  }
  for (const auto& [tx, indexes] : statements) {
    size_t delivered = 0;
    // Per partition, the statement whose first delivery came last, so far.
    std::map<int32_t, size_t> latest_in;
    for (const size_t i : indexes) {
      if (deliveries[i].empty()) continue;
      ++delivered;
      const ChangeEvent& e = observed[deliveries[i].front()];
      const auto found = latest_in.find(e.kafka.partition);
      const size_t latest = found == latest_in.end() ? kNone : found->second;
      if (latest != kNone && expected[latest].key != expected[i].key) {
        const ChangeEvent& before = observed[deliveries[latest].front()];
        if (deliveries[i].front() < deliveries[latest].front()) {
          verdict.add(AnomalyKind::Order, e.key, e.op, tx,
                      "transaction " + std::to_string(tx) + ": " + expected[i].describe() + " (" +
                          brief(e) + ") arrived before " + expected[latest].describe() + " (" +
                          brief(before) + "), an earlier statement");
        } else if (e.source.lsn && before.source.lsn && *e.source.lsn < *before.source.lsn) {
          verdict.add(AnomalyKind::Order, e.key, e.op, tx,
                      "transaction " + std::to_string(tx) + ": LSN went backwards: " + brief(e) +
                          " after " + brief(before));
        }
      }
      if (latest == kNone || deliveries[i].front() > deliveries[latest].front())
        latest_in[e.kafka.partition] = i;
    }
    if (delivered > 0 && delivered < indexes.size()) {
      verdict.add(AnomalyKind::Transaction, nullptr, std::nullopt, tx,
                  "transaction " + std::to_string(tx) + ": " + std::to_string(delivered) + " of " +
                      std::to_string(indexes.size()) + " changes observed");
    }
  }
}

}  // namespace

Match match_changes(const std::vector<ExpectedChange>& expected,
                    const std::vector<ChangeEvent>& observed, const MatchRules& rules) {
  Match match;
  match.verdict.delivery = rules.delivery;
  match.deliveries.resize(expected.size());

  // Keys in first-expected order, so evidence comes out in a stable order.
  std::vector<std::string> keys;
  std::unordered_map<std::string, std::vector<size_t>> expected_by_key;
  for (size_t i = 0; i < expected.size(); ++i) {
    auto [it, fresh] = expected_by_key.try_emplace(expected[i].key.dump());
    if (fresh) keys.push_back(it->first);
    it->second.push_back(i);
  }
  std::unordered_map<std::string, std::vector<size_t>> events_by_key;
  for (size_t at = 0; at < observed.size(); ++at) {
    auto k = observed[at].key.dump();
    if (expected_by_key.count(k)) events_by_key[std::move(k)].push_back(at);
  }

  for (const auto& k : keys) {
    const auto& indexes = expected_by_key[k];
    const json& key = expected[indexes.front()].key;
    KeyMatch km{versions_of(indexes, expected, rules), {}};
    std::vector<const ExpectedChange*> rolled_back;
    for (const size_t i : indexes) {
      if (!expected[i].committed) rolled_back.push_back(&expected[i]);
    }
    judge_key(key, km, events_by_key[k], observed, rolled_back, rules, match.verdict);
    judge_leftovers(key, km, observed, rules, match.verdict);
    for (const auto& v : km.versions) {
      if (v.expected != kNone) match.deliveries[v.expected] = v.deliveries;
    }
  }
  judge_transactions(expected, match.deliveries, observed, match.verdict);
  return match;
}

}  // namespace cdc
