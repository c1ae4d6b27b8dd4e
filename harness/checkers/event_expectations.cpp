#include "harness/checkers/event_expectations.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "harness/observer/change_event.hpp"

namespace cdc {
using nlohmann::json;

namespace {

std::string ops_of(const std::vector<const ChangeEvent*>& events) {
  std::string text = "[";
  for (size_t i = 0; i < events.size(); ++i) text += (i ? ", " : "") + to_string(events[i]->op);
  return text + "]";
}

std::string ops_of(const std::vector<const ExpectedEvent*>& events) {
  std::string text = "[";
  for (size_t i = 0; i < events.size(); ++i) text += (i ? ", " : "") + to_string(events[i]->op);
  return text + "]";
}

// Column by column, so the message says which value is wrong.
void compare_image(Verdict& verdict, const std::string& which, const ExpectedEvent& want,
                   const ChangeEvent& got, const std::optional<json>& expected,
                   const std::optional<json>& actual) {
  const std::string where = "op=" + to_string(want.op) + " key=" + want.key.dump();
  if (!expected) return;
  if (!actual) {
    verdict.fail("wrong " + which + ": " + where + " has no " + which + " image; expected " +
                 expected->dump());
    return;
  }
  for (const auto& [column, value] : expected->items()) {
    if (!actual->contains(column)) {
      verdict.fail("wrong " + which + ": " + where + " lacks column " + column + " (expected " +
                   value.dump() + ")");
    } else if ((*actual)[column] != value) {
      verdict.fail("wrong " + which + ": " + where + " column " + column + " is " +
                   (*actual)[column].dump() + ", expected " + value.dump() + " (offset " +
                   std::to_string(got.kafka.offset) + ")");
    }
  }
}

void compare_content(Verdict& verdict, const ExpectedEvent& want, const ChangeEvent& got) {
  compare_image(verdict, "after", want, got, want.after, got.after);
  compare_image(verdict, "before", want, got, want.before, got.before);
  if (want.before_absent && got.before) {
    verdict.fail("wrong before: op=" + to_string(want.op) + " key=" + want.key.dump() +
                 " carries a before image " + got.before->dump() + " where none was expected");
  }
  if (want.tx_id && got.source.tx_id != want.tx_id) {
    verdict.fail("wrong txId: op=" + to_string(want.op) + " key=" + want.key.dump() + " has txId " +
                 (got.source.tx_id ? std::to_string(*got.source.tx_id) : "none") + ", expected " +
                 std::to_string(*want.tx_id));
  }
}

}  // namespace

std::vector<ExpectedEvent> expected_events(const std::vector<Mutation>& mutations,
                                           const EventRules& rules) {
  std::vector<ExpectedEvent> out;
  for (const auto& m : mutations) {
    ExpectedEvent e{m.op, m.key, std::nullopt, false, m.after, m.tx_id};
    if (m.op == Op::Create) e.before_absent = true;
    if (m.op == Op::Update || m.op == Op::Delete) {
      if (rules.full_before_image) {
        e.before = m.before;
      } else if (m.op == Op::Update) {
        e.before_absent = true;  // REPLICA IDENTITY DEFAULT: no old row unless the key changed
      }
    }
    out.push_back(e);
    if (m.op == Op::Delete && rules.tombstones)
      out.push_back(ExpectedEvent{Op::Tombstone, m.key, {}, false, {}, {}});
  }
  return out;
}

ExpectedEvent expected_snapshot_read(const json& row) {
  return ExpectedEvent{Op::Read, json{{"id", row.at("id")}}, std::nullopt, true, row, std::nullopt};
}

Verdict check_events(const std::vector<ChangeEvent>& observed,
                     const std::vector<ExpectedEvent>& expected,
                     const std::vector<json>& also_watch) {
  std::map<std::string, std::vector<const ExpectedEvent*>> want;  // by key, in order
  std::vector<std::string> keys;  // first-seen order, for stable messages
  for (const auto& e : expected) {
    const auto k = e.key.dump();
    if (!want.count(k)) keys.push_back(k);
    want[k].push_back(&e);
  }
  for (const auto& k : also_watch) {
    if (!want.count(k.dump())) keys.push_back(k.dump());
    want[k.dump()];
  }
  std::map<std::string, std::vector<const ChangeEvent*>> got;
  for (const auto& event : observed) {
    if (want.count(event.key.dump())) got[event.key.dump()].push_back(&event);
  }

  Verdict verdict;
  for (const auto& key : keys) {
    const auto& expected_for_key = want[key];
    const auto& observed_for_key = got[key];
    std::vector<bool> used(observed_for_key.size(), false);
    std::vector<size_t>
        matched_at;  // observed index of each matched expected event, in expected order
    for (size_t i = 0; i < expected_for_key.size(); ++i) {
      const ExpectedEvent& e = *expected_for_key[i];
      size_t found = observed_for_key.size();
      for (size_t j = 0; j < observed_for_key.size(); ++j) {
        if (!used[j] && observed_for_key[j]->op == e.op) {
          found = j;
          break;
        }
      }
      if (found == observed_for_key.size()) {
        verdict.fail("missing: no op=" + to_string(e.op) + " event for key " + key + " (expected " +
                     ops_of(expected_for_key) + " for this key, observed " +
                     ops_of(observed_for_key) + ")");
        continue;
      }
      used[found] = true;
      matched_at.push_back(found);
      compare_content(verdict, e, *observed_for_key[found]);
    }
    for (size_t j = 0; j < observed_for_key.size(); ++j) {
      if (used[j]) continue;
      const auto& extra = *observed_for_key[j];
      const bool again = std::any_of(expected_for_key.begin(), expected_for_key.end(),
                                     [&](const ExpectedEvent* e) { return e->op == extra.op; });
      verdict.fail(std::string(again ? "duplicate: " : "unexpected: ") + brief(extra) +
                   " for key " + key + " (expected " + ops_of(expected_for_key) + ", observed " +
                   ops_of(observed_for_key) + ")");
    }
    if (!std::is_sorted(matched_at.begin(), matched_at.end())) {
      verdict.fail("out of order: key " + key + " expected " + ops_of(expected_for_key) +
                   " but observed " + ops_of(observed_for_key));
    }
  }
  return verdict;
}

Verdict check_each_row_once(const std::vector<ChangeEvent>& observed, const std::vector<int>& ids) {
  std::map<int, std::vector<const ChangeEvent*>> seen;
  for (const int id : ids) seen[id];
  for (const auto& event : observed) {
    if (!event.key.is_object() || !event.key.contains("id") || event.is_tombstone()) continue;
    const auto it = seen.find(event.key["id"].get<int>());
    if (it != seen.end()) it->second.push_back(&event);
  }
  Verdict verdict;
  for (const auto& [id, events] : seen) {
    if (events.empty()) {
      verdict.fail("missing: row id=" + std::to_string(id) +
                   " arrived neither as op=r nor as op=c");
    } else if (events.size() > 1) {
      verdict.fail("duplicate: row id=" + std::to_string(id) + " arrived " +
                   std::to_string(events.size()) + " times, as " + ops_of(events));
    } else if (events[0]->op != Op::Read && events[0]->op != Op::Create) {
      verdict.fail("unexpected: " + brief(*events[0]) + " where op=r or op=c was due");
    }
  }
  return verdict;
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

Verdict check_transaction_order(const std::vector<ChangeEvent>& observed,
                                const std::vector<Mutation>& mutations) {
  Verdict verdict;
  if (mutations.empty()) return verdict;
  const int64_t tx_id = mutations.front().tx_id;
  // Which statement each observed event answers: the n-th event for a key and op is the
  // n-th such statement.
  std::map<std::string, std::vector<size_t>> statements;  // key+op -> statement indexes
  for (size_t i = 0; i < mutations.size(); ++i) {
    statements[mutations[i].key.dump() + to_string(mutations[i].op)].push_back(i);
  }
  std::map<std::string, size_t> seen;
  std::optional<size_t> last_statement;
  std::optional<int64_t> last_lsn;
  const ChangeEvent* last_event = nullptr;
  for (const auto& event : observed) {
    const auto it = statements.find(event.key.dump() + to_string(event.op));
    if (it == statements.end()) continue;
    const size_t nth = seen[it->first]++;
    if (nth >= it->second.size()) continue;  // a duplicate: check_events names it
    const size_t statement = it->second[nth];
    if (event.source.tx_id != tx_id) {
      verdict.fail("split transaction: " + brief(event) + " (statement " +
                   std::to_string(statement + 1) + ") is not in transaction " +
                   std::to_string(tx_id));
    }
    if (last_statement && statement < *last_statement) {
      verdict.fail("out of commit order: statement " + std::to_string(statement + 1) + " (" +
                   brief(event) + ") arrived after statement " +
                   std::to_string(*last_statement + 1) + " (" + brief(*last_event) + ")");
    }
    if (last_lsn && event.source.lsn && *event.source.lsn < *last_lsn) {
      verdict.fail("LSN went backwards: " + brief(event) + " after " + brief(*last_event));
    }
    last_statement = statement;
    last_event = &event;
    if (event.source.lsn) last_lsn = event.source.lsn;
  }
  return verdict;
}

}  // namespace cdc
