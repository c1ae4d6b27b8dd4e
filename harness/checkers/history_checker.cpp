#include "harness/checkers/history_checker.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace cdc {
using nlohmann::json;

std::string to_string(AnomalyKind kind) {
  switch (kind) {
    case AnomalyKind::Lost:
      return "lost";
    case AnomalyKind::Phantom:
      return "phantom";
    case AnomalyKind::Duplicate:
      return "duplicate";
    case AnomalyKind::Order:
      return "order";
    case AnomalyKind::Image:
      return "image";
    case AnomalyKind::Transaction:
      return "transaction";
  }
  return "?";
}

size_t HistoryVerdict::count(AnomalyKind kind) const {
  size_t n = 0;
  for (const auto& a : anomalies) n += a.kind == kind ? 1 : 0;
  return n;
}

bool HistoryVerdict::ok(bool duplicates_allowed) const {
  for (const auto& a : anomalies) {
    if (!(duplicates_allowed && a.kind == AnomalyKind::Duplicate)) return false;
  }
  return true;
}

std::string HistoryVerdict::summary() const {
  if (anomalies.empty()) return "no anomalies (" + std::to_string(matched) + " changes observed)";
  std::string text = std::to_string(anomalies.size()) + " anomalies:";
  for (const auto& a : anomalies) text += "\n  - " + to_string(a.kind) + ": " + a.evidence;
  return text;
}

namespace {

std::string describe(const Mutation& m) {
  return "op=" + to_string(m.op) + " key=" + m.key.dump() + " txId=" + std::to_string(m.tx_id);
}

// Column by column, as scenarios report it.
void compare_images(std::vector<Anomaly>& out, const HistoryEntry& h, const ChangeEvent& e,
                    const EventRules& rules) {
  auto compare = [&](const char* which, const std::optional<json>& want,
                     const std::optional<json>& got) {
    if (!want) return;
    if (!got) {
      out.push_back({AnomalyKind::Image, describe(h.change) + " has no " + which + " image"});
      return;
    }
    for (const auto& [column, value] : want->items()) {
      if (!got->contains(column) || (*got)[column] != value) {
        out.push_back(
            {AnomalyKind::Image, describe(h.change) + " " + which + "." + column + " is " +
                                     (got->contains(column) ? (*got)[column].dump() : "absent") +
                                     ", history says " + value.dump()});
      }
    }
  };
  compare("after", h.change.after, e.after);
  // Only REPLICA IDENTITY FULL promises the whole old row.
  if (rules.full_before_image && (h.change.op == Op::Update || h.change.op == Op::Delete)) {
    compare("before", h.change.before, e.before);
  }
}

}  // namespace

HistoryVerdict check_history(const std::vector<HistoryEntry>& history,
                             const std::vector<ChangeEvent>& observed,
                             const HistoryCheckOptions& options) {
  HistoryVerdict verdict;
  std::map<std::string, std::vector<const HistoryEntry*>>
      by_key;  // committed and not, in history order
  for (const auto& h : history) by_key[h.change.key.dump()].push_back(&h);
  // Commit order per key: by commit LSN where the history knows it (sessions may record
  // out of order), else as recorded.
  for (auto& [key, entries] : by_key) {
    std::stable_sort(entries.begin(), entries.end(),
                     [](const HistoryEntry* a, const HistoryEntry* b) {
                       return a->commit_lsn && b->commit_lsn && *a->commit_lsn < *b->commit_lsn;
                     });
  }
  std::map<std::string, std::vector<const ChangeEvent*>> seen;
  for (const auto& e : observed) {
    if (e.op == Op::Read || e.is_tombstone()) continue;
    if (by_key.count(e.key.dump())) seen[e.key.dump()].push_back(&e);
  }

  std::map<int64_t, std::pair<size_t, size_t>> transactions;  // txId -> (changes, observed)
  for (const auto& [key, entries] : by_key) {
    const auto& events = seen[key];
    std::vector<bool> used(events.size(), false);
    std::vector<std::pair<const HistoryEntry*, size_t>> matches;  // in history order
    for (const HistoryEntry* h : entries) {
      if (!h->committed) continue;
      auto& tx = transactions[h->change.tx_id];
      ++tx.first;
      size_t found = events.size();
      for (size_t i = 0; i < events.size(); ++i) {
        if (!used[i] && events[i]->op == h->change.op &&
            events[i]->source.tx_id == h->change.tx_id) {
          found = i;
          break;
        }
      }
      if (found == events.size()) {
        verdict.anomalies.push_back(
            {AnomalyKind::Lost, describe(h->change) + " was committed but never observed"});
        continue;
      }
      used[found] = true;
      ++tx.second;
      ++verdict.matched;
      matches.emplace_back(h, found);
      compare_images(verdict.anomalies, *h, *events[found], options.rules);
    }
    for (size_t i = 0; i < events.size(); ++i) {
      if (used[i]) continue;
      const ChangeEvent& e = *events[i];
      bool again = false;
      bool rolled_back = false;
      for (const HistoryEntry* h : entries) {
        const bool same = h->change.op == e.op && h->change.tx_id == e.source.tx_id;
        again = again || (same && h->committed);
        rolled_back = rolled_back || (same && !h->committed);
      }
      if (again) {
        verdict.anomalies.push_back({AnomalyKind::Duplicate, brief(e) + " observed again"});
      } else {
        verdict.anomalies.push_back(
            {AnomalyKind::Phantom,
             brief(e) + (rolled_back ? " belongs to a transaction that rolled back"
                                     : " has no change in the history behind it")});
      }
    }
    for (size_t m = 1; m < matches.size(); ++m) {
      const auto& [previous, previous_at] = matches[m - 1];
      const auto& [current, current_at] = matches[m];
      const auto& lsn_before = events[previous_at]->source.lsn;
      const auto& lsn_now = events[current_at]->source.lsn;
      if (current_at < previous_at || (lsn_before && lsn_now && *lsn_now < *lsn_before)) {
        verdict.anomalies.push_back(
            {AnomalyKind::Order, "key " + key + ": " + describe(current->change) +
                                     " was observed before " + describe(previous->change) +
                                     ", which committed first"});
      }
    }
  }
  for (const auto& [tx_id, counts] : transactions) {
    if (counts.second > 0 && counts.second < counts.first) {
      verdict.anomalies.push_back(
          {AnomalyKind::Transaction, "transaction " + std::to_string(tx_id) + ": " +
                                         std::to_string(counts.second) + " of " +
                                         std::to_string(counts.first) + " changes observed"});
    }
  }
  return verdict;
}

}  // namespace cdc
