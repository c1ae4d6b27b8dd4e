#include "harness/checkers/expected_change.hpp"

namespace cdc {
using nlohmann::json;

OpSet OpSet::either(Op other) const {
  return OpSet(bits_ | bit(other));
}

Op OpSet::first() const {
  for (const Op op :
       {Op::Read, Op::Create, Op::Update, Op::Delete, Op::Truncate, Op::Message, Op::Tombstone}) {
    if (has(op)) return op;
  }
  return Op::Create;
}

std::string OpSet::str() const {
  std::string text;
  for (const Op op :
       {Op::Read, Op::Create, Op::Update, Op::Delete, Op::Truncate, Op::Message, Op::Tombstone}) {
    if (has(op)) text += (text.empty() ? "" : "|") + to_string(op);
  }
  return text;
}

ExpectedChange&& ExpectedChange::with_before(json row) && {
  before = std::move(row);
  return std::move(*this);
}

ExpectedChange&& ExpectedChange::with_after(json row) && {
  after = std::move(row);
  return std::move(*this);
}

ExpectedChange&& ExpectedChange::in_transaction(int64_t tx) && {
  tx_id = tx;
  return std::move(*this);
}

ExpectedChange&& ExpectedChange::at_commit(int64_t lsn) && {
  commit_lsn = lsn;
  return std::move(*this);
}

ExpectedChange&& ExpectedChange::rolled_back() && {
  committed = false;
  return std::move(*this);
}

std::string describe_change(OpSet ops, const json& key, std::optional<int64_t> tx_id) {
  std::string text = "op=" + ops.str() + " key=" + key.dump();
  if (tx_id) text += " txId=" + std::to_string(*tx_id);
  return text;
}

std::string ExpectedChange::describe() const {
  return describe_change(ops, key, tx_id);
}

namespace expect {

namespace {
ExpectedChange of(OpSet ops, json key) {
  ExpectedChange change;
  change.ops = ops;
  change.key = std::move(key);
  return change;
}
}  // namespace

ExpectedChange read(json key) {
  return of(Op::Read, std::move(key));
}
ExpectedChange create(json key) {
  return of(Op::Create, std::move(key));
}
ExpectedChange update(json key) {
  return of(Op::Update, std::move(key));
}
ExpectedChange remove(json key) {
  return of(Op::Delete, std::move(key));
}
ExpectedChange truncate(json key) {
  return of(Op::Truncate, std::move(key));
}
ExpectedChange arrival(json key) {
  return of(OpSet(Op::Read).either(Op::Create), std::move(key));
}
ExpectedChange snapshot_of(const json& row) {
  return read(json{{"id", row.at("id")}}).with_after(row);
}

}  // namespace expect

namespace {
ExpectedChange from(const Mutation& m) {
  ExpectedChange change;
  change.ops = m.op;
  change.key = m.key;
  change.before = m.before;
  change.after = m.after;
  if (m.tx_id != 0) change.tx_id = m.tx_id;  // 0: not known (xid 0 is never a transaction's)
  change.commit_lsn = m.commit_lsn;
  return change;
}
}  // namespace

std::vector<ExpectedChange> expected_changes(const std::vector<Mutation>& mutations) {
  std::vector<ExpectedChange> out;
  out.reserve(mutations.size());
  for (const auto& m : mutations) out.push_back(from(m));
  return out;
}

ExpectedChange expected_change(const HistoryEntry& entry) {
  ExpectedChange change = from(entry.change);
  if (entry.commit_lsn) change.commit_lsn = entry.commit_lsn;
  change.committed = entry.committed;
  return change;
}

std::vector<ExpectedChange> expected_changes(const std::vector<HistoryEntry>& history) {
  std::vector<ExpectedChange> out;
  out.reserve(history.size());
  for (const auto& h : history) out.push_back(expected_change(h));
  return out;
}

}  // namespace cdc
