#include "harness/checkers/streaming_matcher.hpp"

#include <algorithm>

#include "harness/checkers/content_check.hpp"

namespace cdc {
using nlohmann::json;

StreamingMatcher::StreamingMatcher(MatchRules rules) : rules_(rules) {
  verdict_.delivery = rules.delivery;
}

void StreamingMatcher::expect(const HistoryEntry& entry) {
  expect(expected_change(entry), entry.commit_return_us, entry.intended_start_us);
}

void StreamingMatcher::expect(ExpectedChange change, int64_t commit_return_us,
                              int64_t intended_start_us) {
  auto [it, fresh] = keys_.try_emplace(change.key.dump());
  Key& key = it->second;
  if (fresh) {
    key.key = std::move(change.key);
    key.first_expected = expected_++;
  }
  change.key = nullptr;  // kept once, in its Key
  if (!change.committed) {
    key.rolled_back.push_back(std::move(change));
    return;
  }
  std::optional<size_t> statement;
  if (change.tx_id) {
    auto& t = transactions_[*change.tx_id];
    statement = t.statements.size();
    t.statements.push_back(
        Statement{key.key, describe_change(change.ops, key.key, change.tx_id), {}, {}, {}});
  }
  // Versions in commit order (by commit_lsn while every change of the key has one, else as
  // given), each delete followed by its tombstone.
  key.all_positioned = key.all_positioned && change.commit_lsn.has_value();
  size_t at = key.versions.size();
  if (key.all_positioned) {
    at = static_cast<size_t>(
        std::upper_bound(key.versions.begin(), key.versions.end(), *change.commit_lsn,
                         [](int64_t lsn, const Version& v) { return lsn < *v.change.commit_lsn; }) -
        key.versions.begin());
  }
  const bool tombstone_due =
      change.ops.has(Op::Delete) && rules_.tombstones == Tombstones::AfterDelete;
  std::vector<Version> added;
  Version tombstone;
  tombstone.change.ops = Op::Tombstone;
  tombstone.change.commit_lsn = change.commit_lsn;  // sorts with its delete
  tombstone.tombstone = true;
  added.push_back(Version{std::move(change), false, 0, Op::Create, -1, commit_return_us,
                          intended_start_us, statement});
  if (tombstone_due) added.push_back(std::move(tombstone));
  if (key.newest != kNone && at <= key.newest) key.newest += added.size();
  key.versions.insert(key.versions.begin() + static_cast<std::ptrdiff_t>(at),
                      std::make_move_iterator(added.begin()), std::make_move_iterator(added.end()));
}

std::string StreamingMatcher::describe(const Key& key, const Version& v) const {
  return v.tombstone ? "op=tombstone key=" + key.key.dump()
                     : describe_change(v.change.ops, key.key, v.change.tx_id);
}

// The first version in [from, to) that `e` can be, seen or unseen as asked; among several, one
// whose content matches.
size_t StreamingMatcher::find_version(const Key& key, size_t from, size_t to, const ChangeEvent& e,
                                      bool seen) const {
  size_t first = kNone;
  for (size_t i = from; i < to && i < key.versions.size(); ++i) {
    const Version& v = key.versions[i];
    if (!v.can_be(e) || (v.deliveries > 0) != seen) continue;
    if (v.tombstone || content_matches(v.change, key.key, e, rules_)) return i;
    if (first == kNone) first = i;
  }
  return first;
}

void StreamingMatcher::deliver(Key& key, size_t index, const ChangeEvent& e, size_t at) {
  Version& v = key.versions[index];
  ++verdict_.matched;
  ++v.deliveries;
  v.delivered_as = e.op;
  v.first_offset = e.kafka.offset;
  if (v.tombstone) return;
  compare_content(verdict_, v.change, key.key, e, rules_);
  latency_.add(e, v.commit_return_us, v.intended_start_us);
  v.change.before.reset();  // compared: the images are no longer needed
  v.change.after.reset();
  if (!v.statement || !v.change.tx_id) return;
  const auto t = transactions_.find(*v.change.tx_id);
  if (t == transactions_.end()) return;
  Statement& s = t->second.statements[*v.statement];
  s.first_at = at;
  s.lsn = e.source.lsn;
  s.first_brief = brief(e);
  s.op = e.op;
  if (++t->second.delivered == t->second.statements.size()) {
    judge_transaction(t->first, t->second);  // whole: later deliveries are duplicates
    transactions_.erase(t);
  }
}

void StreamingMatcher::observe(const ChangeEvent& e) {
  const size_t at = observed_++;
  const auto it = keys_.find(e.key.dump());
  if (it == keys_.end()) {
    if (!e.is_tombstone()) latency_.add_unmatched();  // someone else's
    return;
  }
  Key& key = it->second;
  const size_t after_newest = key.newest == kNone ? 0 : key.newest + 1;
  size_t v = find_version(key, after_newest, key.versions.size(), e, false);
  const bool stale = v == kNone && (v = find_version(key, 0, after_newest, e, false)) != kNone;
  if (v != kNone) {
    deliver(key, v, e, at);
    if (stale) {
      verdict_.add(AnomalyKind::Order, key.key, e.op, e.source.tx_id,
                   "key " + key.key.dump() + ": " + describe(key, key.versions[v]) + " arrived (" +
                       brief(e) + ") after " + describe(key, key.versions[key.newest]) +
                       ", which committed later");
    } else {
      key.newest = v;
    }
    return;
  }
  if (!e.is_tombstone()) latency_.add_unmatched();
  v = find_version(key, 0, key.versions.size(), e, true);
  if (v != kNone) {
    Version& version = key.versions[v];
    ++version.deliveries;
    verdict_.add(AnomalyKind::Duplicate, key.key, e.op, e.source.tx_id,
                 brief(e) + " delivers " + describe(key, version) + " again (first at offset " +
                     std::to_string(version.first_offset) + ")");
    return;
  }
  const bool undone = std::any_of(key.rolled_back.begin(), key.rolled_back.end(), [&](auto& c) {
    return c.ops.has(e.op) && (!c.tx_id || c.tx_id == e.source.tx_id);
  });
  if (undone) {
    verdict_.add(AnomalyKind::Phantom, key.key, e.op, e.source.tx_id,
                 brief(e) + " belongs to a transaction that rolled back");
  } else {
    key.unexplained.emplace_back(at, e);
  }
}

// An event that is a lost version's change in another transaction is that; the rest of the
// leftovers are lost versions and phantoms.
void StreamingMatcher::judge_leftovers(Key& key) {
  for (const auto& [at, e] : key.unexplained) {
    auto it = std::find_if(key.versions.begin(), key.versions.end(), [&](const Version& v) {
      return v.deliveries == 0 && v.change.ops.has(e.op);
    });
    if (it == key.versions.end()) {
      verdict_.add(AnomalyKind::Phantom, key.key, e.op, e.source.tx_id,
                   brief(e) + " has no expected change behind it");
      continue;
    }
    verdict_.add(AnomalyKind::Transaction, key.key, e.op, e.source.tx_id,
                 describe(key, *it) + " arrived in transaction " +
                     (e.source.tx_id ? std::to_string(*e.source.tx_id) : "none") + " (" + brief(e) +
                     ")");
    deliver(key, static_cast<size_t>(it - key.versions.begin()), e, at);
  }
  key.unexplained.clear();
  std::string observed_ops;
  for (const auto& v : key.versions) {
    for (uint32_t d = 0; d < v.deliveries; ++d) observed_ops += to_string(v.delivered_as) + " ";
  }
  for (const auto& v : key.versions) {
    if (v.deliveries > 0) continue;
    verdict_.add(AnomalyKind::Lost, key.key, v.change.ops.first(), v.change.tx_id,
                 describe(key, v) + " was never observed" +
                     (observed_ops.empty() ? " (nothing arrived for this key)"
                                           : " (this key got: " + observed_ops + ")"));
  }
}

// Its statements in statement order (LSNs not falling), and whole.
void StreamingMatcher::judge_transaction(int64_t tx, const Transaction& t) {
  const Statement* latest = nullptr;  // the statement whose first delivery came last, so far
  size_t delivered = 0;
  for (const Statement& s : t.statements) {
    if (!s.first_at) continue;
    ++delivered;
    if (latest && latest->key != s.key) {
      if (*s.first_at < *latest->first_at) {
        verdict_.add(AnomalyKind::Order, s.key, s.op, tx,
                     "transaction " + std::to_string(tx) + ": " + s.described + " (" +
                         s.first_brief + ") arrived before " + latest->described + " (" +
                         latest->first_brief + "), an earlier statement");
      } else if (s.lsn && latest->lsn && *s.lsn < *latest->lsn) {
        verdict_.add(AnomalyKind::Order, s.key, s.op, tx,
                     "transaction " + std::to_string(tx) + ": LSN went backwards: " +
                         s.first_brief + " after " + latest->first_brief);
      }
    }
    if (!latest || *s.first_at > *latest->first_at) latest = &s;
  }
  if (delivered > 0 && delivered < t.statements.size()) {
    verdict_.add(AnomalyKind::Transaction, nullptr, std::nullopt, tx,
                 "transaction " + std::to_string(tx) + ": " + std::to_string(delivered) + " of " +
                     std::to_string(t.statements.size()) + " changes observed");
  }
}

Verdict StreamingMatcher::finish() {
  std::vector<Key*> keys;
  keys.reserve(keys_.size());
  for (auto& [_, key] : keys_) keys.push_back(&key);
  std::sort(keys.begin(), keys.end(),
            [](const Key* a, const Key* b) { return a->first_expected < b->first_expected; });
  for (Key* key : keys) judge_leftovers(*key);
  for (const auto& [tx, t] : transactions_) judge_transaction(tx, t);
  keys_.clear();
  transactions_.clear();
  return std::move(verdict_);
}

}  // namespace cdc
