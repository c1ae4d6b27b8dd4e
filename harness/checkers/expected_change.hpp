#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/observer/change_event.hpp"
#include "harness/workload/history.hpp"
#include "harness/workload/mutation.hpp"

namespace cdc {

// The ops an expected change may arrive as: one, or a choice (a row that existed before the
// connector started arrives as a snapshot read or, if written during the snapshot, a create).
class OpSet {
 public:
  OpSet(Op op) : bits_(bit(op)) {}  // NOLINT: an op is a set of one
  OpSet either(Op other) const;
  bool has(Op op) const { return (bits_ & bit(op)) != 0; }
  Op first() const;
  std::string str() const;  // "c", or "r|c"

 private:
  static unsigned bit(Op op) { return 1u << static_cast<unsigned>(op); }
  explicit OpSet(unsigned bits) : bits_(bits) {}
  unsigned bits_;
};

// A change the pipeline owes (or, rolled back, must never show). Images name the columns to
// compare; columns not named are not checked. Which parts of `before` Debezium sends is the
// matcher's rule (replica identity), not the expectation's.
struct ExpectedChange {
  OpSet ops = Op::Create;
  nlohmann::json key{};
  std::optional<nlohmann::json> before{};  // the old row, where the caller knows it
  std::optional<nlohmann::json> after{};   // the new row
  std::optional<int64_t> tx_id{};          // Debezium's source.txId, where known
  std::optional<int64_t> commit_lsn{};     // orders changes of one key by commit, where known
  bool committed = true;                   // false: rolled back; any event for it is a phantom

  // Built by name: expect::update(key).before(old_row).after(new_row).in_transaction(tx).
  ExpectedChange&& with_before(nlohmann::json row) &&;
  ExpectedChange&& with_after(nlohmann::json row) &&;
  ExpectedChange&& in_transaction(int64_t tx) &&;
  ExpectedChange&& at_commit(int64_t lsn) &&;
  ExpectedChange&& rolled_back() &&;

  std::string describe() const;  // "op=u key={"id":1} txId=7", for evidence
};

// "op=u key={"id":1} txId=7": how evidence names a change.
std::string describe_change(OpSet ops, const nlohmann::json& key, std::optional<int64_t> tx_id);

// The change the pipeline owes for one history entry.
ExpectedChange expected_change(const HistoryEntry& entry);

namespace expect {
ExpectedChange read(nlohmann::json key);    // op=r, a snapshot read
ExpectedChange create(nlohmann::json key);  // op=c
ExpectedChange update(nlohmann::json key);  // op=u
ExpectedChange remove(nlohmann::json key);  // op=d (its tombstone is the matcher's rule)
ExpectedChange truncate(nlohmann::json key = nullptr);
// op=r or op=c, whichever side of the snapshot/stream boundary the row fell on.
ExpectedChange arrival(nlohmann::json key);
// A row that existed before the connector started: its snapshot read, with the whole row.
ExpectedChange snapshot_of(const nlohmann::json& row);
}  // namespace expect

// What the workload did, as the changes the pipeline owes: one per mutation, same order.
std::vector<ExpectedChange> expected_changes(const std::vector<Mutation>& mutations);
// The same for a history: one per entry, same order; rolled-back entries must not appear.
std::vector<ExpectedChange> expected_changes(const std::vector<HistoryEntry>& history);

}  // namespace cdc
