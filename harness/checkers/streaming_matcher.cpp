#include "harness/checkers/streaming_matcher.hpp"

#include <algorithm>

#include "harness/checkers/content_check.hpp"
#include "harness/checkers/database_losses.hpp"

namespace cdc {
using nlohmann::json;

StreamingMatcher::StreamingMatcher(MatchRules rules) : rules_(rules) {
  verdict_.delivery = rules.delivery;
}

void StreamingMatcher::expect(const HistoryEntry& entry, const std::string& durability) {
  if (entry.lost_by_database) return forget(entry, durability);
  expect(expected_change(entry), entry.commit_return_us, entry.intended_start_us);
}

void StreamingMatcher::forget(const HistoryEntry& lost, const std::string& durability) {
  const Mutation& change = lost.change;
  verdict_.add(AnomalyKind::LostByDatabase, change.key, change.op,
               change.tx_id ? std::optional(change.tx_id) : std::nullopt,
               lost_by_database_evidence(change, durability));
  std::string key_text;
  append_json_text(change.key, key_text);
  const auto it = keys_.find(key_text);
  if (it == keys_.end()) return;
  Key& key = it->second;
  // The newest undelivered version that is this change (and its tombstone) leaves the key.
  for (size_t i = key.versions.size(); i-- > 0;) {
    Version& v = key.versions[i];
    if (v.tombstone || v.deliveries > 0 || !v.ops.has(change.op) ||
        v.tx_id != static_cast<int64_t>(change.tx_id))
      continue;
    const size_t count =
        i + 1 < key.versions.size() && key.versions[i + 1].tombstone ? size_t{2} : size_t{1};
    if (v.statement != kNoStatement && v.tx_id) {
      // Its transaction no longer waits for it; later statements move up one place.
      const auto t = transactions_.find(v.tx_id);
      if (t != transactions_.end()) {
        const uint32_t gone = v.statement;
        auto& statements = t->second.statements;
        for (uint32_t s = gone + 1; s < statements.size(); ++s) {
          const auto other = keys_.find(statements[s].key);
          if (other == keys_.end()) continue;
          for (Version& o : other->second.versions)
            if (o.tx_id == v.tx_id && o.statement == s) o.statement = s - 1;
        }
        statements.erase(statements.begin() + gone);
        if (statements.empty()) {
          transactions_.erase(t);
        } else if (t->second.delivered == statements.size()) {
          judge_transaction(t->first, t->second);  // the rest of it had all come
          transactions_.erase(t);
        }
      }
    }
    ExpectedChange undone;
    undone.key = change.key;
    undone.ops = change.op;
    undone.tx_id = v.tx();
    undone.committed = false;
    key.rolled_back.push_back(std::move(undone));
    key.versions.erase(key.versions.begin() + static_cast<std::ptrdiff_t>(i),
                       key.versions.begin() + static_cast<std::ptrdiff_t>(i + count));
    undelivered_ -= count;
    if (key.newest != kNone && key.newest > i) key.newest -= count;
    return;
  }
}

void StreamingMatcher::expect(ExpectedChange change, int64_t commit_return_us,
                              int64_t intended_start_us) {
  std::string key_text;
  append_json_text(change.key, key_text);
  auto [it, fresh] = keys_.try_emplace(key_text);
  Key& key = it->second;
  if (fresh) key.first_expected = expected_++;
  if (!change.committed) {
    key.rolled_back.push_back(std::move(change));
    return;
  }
  Version version;
  version.ops = change.ops;
  version.tx_id = change.tx_id.value_or(0);
  version.commit_lsn = change.commit_lsn.value_or(0);
  version.commit_return_us = commit_return_us;
  version.intended_start_us = intended_start_us;
  if (change.tx_id) {
    auto& t = transactions_[*change.tx_id];
    version.statement = static_cast<uint32_t>(t.statements.size());
    t.statements.push_back(Statement{key_text, change.ops, {}, {}, 0, 0, Op::Create});
  }
  // Versions in commit order (by commit_lsn while every change of the key has one, else as
  // given), each delete followed by its tombstone.
  key.all_positioned = key.all_positioned && change.commit_lsn.has_value();
  size_t at = key.versions.size();
  if (key.all_positioned) {
    at = static_cast<size_t>(
        std::upper_bound(key.versions.begin(), key.versions.end(), version.commit_lsn,
                         [](int64_t lsn, const Version& v) { return lsn < v.commit_lsn; }) -
        key.versions.begin());
  }
  std::vector<Version> added;
  const bool tombstone_due =
      change.ops.has(Op::Delete) && rules_.tombstones == Tombstones::AfterDelete;
  Version tombstone;
  tombstone.tombstone = true;
  tombstone.commit_lsn = version.commit_lsn;  // sorts with its delete
  version.images = std::make_unique<Images>();
  if (change.before) version.images->before = change.before->dump();
  if (change.after) version.images->after = change.after->dump();
  added.push_back(std::move(version));
  if (tombstone_due) added.push_back(std::move(tombstone));
  if (key.newest != kNone && at <= key.newest) key.newest += added.size();
  undelivered_ += added.size();
  key.versions.insert(key.versions.begin() + static_cast<std::ptrdiff_t>(at),
                      std::make_move_iterator(added.begin()), std::make_move_iterator(added.end()));
}

ExpectedChange StreamingMatcher::as_change(const Version& v) {
  ExpectedChange change;
  change.ops = v.ops;
  change.tx_id = v.tx();
  if (v.images && v.images->before) change.before = json::parse(*v.images->before);
  if (v.images && v.images->after) change.after = json::parse(*v.images->after);
  return change;
}

// The common case, decided without parsing: each image the change owes is the event's, text
// for text, and the event carries no image it must lack. Anything else is judged column by
// column (compare_content), as match_changes does.
bool StreamingMatcher::images_as_owed(const Version& v, const ChangeEvent& e) {
  const Images& owed = *v.images;
  const auto same = [&](const std::optional<std::string>& text, const std::optional<json>& image) {
    if (!text || !image) return false;
    image_text_.clear();
    append_json_text(*image, image_text_);
    return image_text_ == *text;
  };
  switch (e.op) {
    case Op::Read:
    case Op::Create:
      return !e.before && same(owed.after, e.after);
    case Op::Update:
      return rules_.identity == ReplicaIdentity::Full && same(owed.before, e.before) &&
             same(owed.after, e.after);
    default:
      return false;
  }
}

std::string StreamingMatcher::describe(const json& key, const Version& v) {
  return v.tombstone ? "op=tombstone key=" + key.dump() : describe_change(v.ops, key, v.tx());
}

// The first version in [from, to) that `e` can be, seen or unseen as asked; among several, one
// whose content matches (e's key is the version's: it was looked up by it).
size_t StreamingMatcher::find_version(const Key& key, size_t from, size_t to, const ChangeEvent& e,
                                      bool seen) const {
  size_t first = kNone;
  bool several = false;
  for (size_t i = from; i < to && i < key.versions.size(); ++i) {
    const Version& v = key.versions[i];
    if (!v.can_be(e) || (v.deliveries > 0) != seen) continue;
    if (first == kNone) {
      first = i;
    } else {
      several = true;
      break;
    }
  }
  if (!several) return first;  // one candidate (or none): its content is judged on delivery
  for (size_t i = first; i < to && i < key.versions.size(); ++i) {
    const Version& v = key.versions[i];
    if (!v.can_be(e) || (v.deliveries > 0) != seen) continue;
    if (!v.images || content_matches(as_change(v), e.key, e, rules_)) return i;
  }
  return first;
}

void StreamingMatcher::deliver(Key& key, size_t index, const ChangeEvent& e, size_t at) {
  Version& v = key.versions[index];
  ++verdict_.matched;
  if (v.deliveries++ == 0) --undelivered_;
  v.delivered_as = e.op;
  v.first_offset = e.kafka.offset;
  if (v.tombstone) return;
  if (v.images && !images_as_owed(v, e)) compare_content(verdict_, as_change(v), e.key, e, rules_);
  v.images.reset();  // compared: the images are no longer needed
  latency_.add(e, v.commit_return_us, v.intended_start_us);
  if (v.statement == kNoStatement || !v.tx_id) return;
  const auto t = transactions_.find(v.tx_id);
  if (t == transactions_.end()) return;
  Statement& s = t->second.statements[v.statement];
  s.first_at = at;
  s.lsn = e.source.lsn;
  s.offset = e.kafka.offset;
  s.partition = e.kafka.partition;
  s.op = e.op;
  if (++t->second.delivered == t->second.statements.size()) {
    judge_transaction(t->first, t->second);  // whole: later deliveries are duplicates
    transactions_.erase(t);
  }
}

void StreamingMatcher::observe(const ChangeEvent& e) {
  const size_t at = observed_++;
  key_text_.clear();
  append_json_text(e.key, key_text_);
  // Abseil here is built with a string_view of its own: looked up without a copy all the same.
  const auto it = keys_.find(absl::string_view(key_text_.data(), key_text_.size()));
  if (it == keys_.end()) {
    if (!e.is_tombstone()) latency_.add_unmatched();  // someone else's
    return;
  }
  Key& key = it->second;
  note_partition(key, e);
  const size_t after_newest = key.newest == kNone ? 0 : key.newest + 1;
  size_t v = find_version(key, after_newest, key.versions.size(), e, false);
  const bool stale = v == kNone && (v = find_version(key, 0, after_newest, e, false)) != kNone;
  if (v != kNone) {
    deliver(key, v, e, at);
    if (stale) {
      verdict_.add(AnomalyKind::Order, e.key, e.op, e.source.tx_id,
                   "key " + e.key.dump() + ": " + describe(e.key, key.versions[v]) + " arrived (" +
                       brief(e) + ") after " + describe(e.key, key.versions[key.newest]) +
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
    verdict_.add(AnomalyKind::Duplicate, e.key, e.op, e.source.tx_id,
                 brief(e) + " delivers " + describe(e.key, version) + " again (first at offset " +
                     std::to_string(version.first_offset) + ")");
    return;
  }
  const bool undone = std::any_of(key.rolled_back.begin(), key.rolled_back.end(), [&](auto& c) {
    return c.ops.has(e.op) && (!c.tx_id || c.tx_id == e.source.tx_id);
  });
  if (undone) {
    verdict_.add(AnomalyKind::Phantom, e.key, e.op, e.source.tx_id,
                 brief(e) + " belongs to a transaction that rolled back");
  } else {
    key.unexplained.emplace_back(at, e);
    ++unexplained_;
  }
}

// Kafka keeps order within a partition only: a key's events belong in one.
void StreamingMatcher::note_partition(Key& key, const ChangeEvent& e) {
  const int32_t p = e.kafka.partition;
  if (key.partition == kNoPartition) key.partition = p;
  if (p == key.partition || std::find(key.other_partitions.begin(), key.other_partitions.end(),
                                      p) != key.other_partitions.end())
    return;
  key.other_partitions.push_back(p);
  verdict_.add(AnomalyKind::Partition, e.key, e.op, e.source.tx_id,
               partition_evidence(e.key, e, key.partition));
}

// An event that is a lost version's change in another transaction is that; the rest of the
// leftovers are lost versions and phantoms.
bool StreamingMatcher::settled(const Key& key) {
  return key.unexplained.empty() && std::all_of(key.versions.begin(), key.versions.end(),
                                                [](const Version& v) { return v.deliveries > 0; });
}

void StreamingMatcher::judge_leftovers(const std::string& key_text, Key& key) {
  const json key_json = json::parse(key_text);
  for (const auto& [at, e] : key.unexplained) {
    auto it = std::find_if(key.versions.begin(), key.versions.end(),
                           [&](const Version& v) { return v.deliveries == 0 && v.ops.has(e.op); });
    if (it == key.versions.end()) {
      verdict_.add(AnomalyKind::Phantom, key_json, e.op, e.source.tx_id,
                   brief(e) + " has no expected change behind it");
      continue;
    }
    verdict_.add(AnomalyKind::Transaction, key_json, e.op, e.source.tx_id,
                 describe(key_json, *it) + " arrived in transaction " +
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
    verdict_.add(AnomalyKind::Lost, key_json, v.ops.first(), v.tx(),
                 describe(key_json, v) + " was never observed" +
                     (observed_ops.empty() ? " (nothing arrived for this key)"
                                           : " (this key got: " + observed_ops + ")"));
  }
}

// Its statements in statement order (LSNs not falling) among those that came in the same
// partition, and whole.
void StreamingMatcher::judge_transaction(int64_t tx, const Transaction& t) {
  const auto described = [&](const Statement& s) {
    return describe_change(s.ops, json::parse(s.key), tx);
  };
  const auto brief = [&](const Statement& s) {  // as brief(event) has it
    return "op=" + to_string(s.op) + " key=" + s.key +
           (s.lsn ? " lsn=" + std::to_string(*s.lsn) : "") + " txId=" + std::to_string(tx) + " @" +
           std::to_string(s.offset);
  };
  // Per partition, the statement whose first delivery came last, so far.
  std::map<int32_t, const Statement*> latest_in;
  size_t delivered = 0;
  for (const Statement& s : t.statements) {
    if (!s.first_at) continue;
    ++delivered;
    const Statement*& latest = latest_in[s.partition];
    if (latest && latest->key != s.key) {
      if (*s.first_at < *latest->first_at) {
        verdict_.add(AnomalyKind::Order, json::parse(s.key), s.op, tx,
                     "transaction " + std::to_string(tx) + ": " + described(s) + " (" + brief(s) +
                         ") arrived before " + described(*latest) + " (" + brief(*latest) +
                         "), an earlier statement");
      } else if (s.lsn && latest->lsn && *s.lsn < *latest->lsn) {
        verdict_.add(AnomalyKind::Order, json::parse(s.key), s.op, tx,
                     "transaction " + std::to_string(tx) + ": LSN went backwards: " + brief(s) +
                         " after " + brief(*latest));
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
  // Settled keys (the common case) have nothing to say: only the rest are sorted and judged,
  // and when every version arrived and every event was explained, none is looked at.
  std::vector<std::pair<const std::string*, Key*>> keys;
  if (undelivered_ > 0 || unexplained_ > 0) {
    for (auto& [text, key] : keys_) {
      if (!settled(key)) keys.emplace_back(&text, &key);
    }
  }
  std::sort(keys.begin(), keys.end(), [](const auto& a, const auto& b) {
    return a.second->first_expected < b.second->first_expected;
  });
  for (auto& [text, key] : keys) judge_leftovers(*text, *key);
  for (const auto& [tx, t] : transactions_) judge_transaction(tx, t);
  keys_.clear();
  transactions_.clear();
  return std::move(verdict_);
}

}  // namespace cdc
