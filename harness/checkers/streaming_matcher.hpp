#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <absl/container/flat_hash_map.h>
#include <nlohmann/json.hpp>

#include "harness/checkers/anomaly.hpp"
#include "harness/checkers/expected_change.hpp"
#include "harness/checkers/json_text.hpp"
#include "harness/checkers/latency.hpp"
#include "harness/model/match_rules.hpp"
#include "harness/observer/change_event.hpp"
#include "harness/workload/history.hpp"

namespace cdc {

// match_changes, one event at a time, for runs too long to keep every event and every change:
// it keeps per key the versions expected (their images only until delivered) and per
// multi-statement transaction its statements until all have arrived, and measures latency
// as first deliveries arrive. Events are handed over and dropped.
//
// The caller's one duty: before observing an event, expect every change that committed
// before it (a fence and History::recorded_through() give that; see report's step check).
// Then each event is judged as match_changes would judge it, against the versions known.
// Events whose key was never expected belong to someone else and are skipped, as there.
class StreamingMatcher {
 public:
  explicit StreamingMatcher(MatchRules rules);

  // A retraction (entry.lost_by_database) takes the change back: Postgres lost its commit,
  // so it is owed no event; a lost_by_database anomaly names it (with `durability`).
  void expect(const HistoryEntry& entry, const std::string& durability = "");
  void expect(ExpectedChange change, int64_t commit_return_us = 0, int64_t intended_start_us = 0);
  void observe(const ChangeEvent& event);

  // Ends the match: what never arrived is lost, transactions seen in part are partial.
  Verdict finish();
  // After finish: each first delivery against its change's client stamps.
  LatencyReport latency() && { return std::move(latency_).finish(); }

  size_t keys_held() const { return keys_.size(); }
  size_t transactions_held() const { return transactions_.size(); }

 private:
  static constexpr size_t kNone = static_cast<size_t>(-1);
  static constexpr uint32_t kNoStatement = static_cast<uint32_t>(-1);
  static constexpr int32_t kNoPartition = -1;
  struct Version;
  struct Key;
  struct Transaction;
  size_t find_version(const Key& key, size_t from, size_t to, const ChangeEvent& e,
                      bool seen) const;
  void deliver(Key& key, size_t version, const ChangeEvent& e, size_t at);
  bool images_as_owed(const Version& v, const ChangeEvent& e);
  static ExpectedChange as_change(const Version& v);
  static std::string describe(const nlohmann::json& key, const Version& v);
  static bool settled(const Key& key);
  void judge_leftovers(const std::string& key_text, Key& key);
  void judge_transaction(int64_t tx, const Transaction& t);
  void note_partition(Key& key, const ChangeEvent& e);
  void forget(const HistoryEntry& lost, const std::string& durability);

  // A change's images as JSON text (as nlohmann writes it): one small allocation each, not a
  // tree of them, and most deliveries are judged by comparing the text.
  struct Images {
    std::optional<std::string> before{}, after{};
  };
  // Small once delivered: the change's images are kept only until then.
  struct Version {
    OpSet ops = Op::Tombstone;
    bool tombstone = false;
    Op delivered_as = Op::Create;  // the first delivery's op, for evidence
    uint32_t deliveries = 0;
    uint32_t statement = kNoStatement;  // its place in a transaction of several statements
    int64_t tx_id = 0;                  // 0: not known
    int64_t commit_lsn = 0;
    int64_t first_offset = -1;
    int64_t commit_return_us = 0, intended_start_us = 0;
    std::unique_ptr<Images> images{};  // until delivered; none for a tombstone

    std::optional<int64_t> tx() const { return tx_id ? std::optional(tx_id) : std::nullopt; }
    bool can_be(const ChangeEvent& e) const {
      return ops.has(e.op) && (!tx_id || e.source.tx_id == tx_id);
    }
  };
  // One key's versions in commit order. The key itself is the map's key (its JSON text).
  struct Key {
    uint64_t first_expected = 0;  // for evidence in a stable order
    std::vector<Version> versions{};
    size_t newest = kNone;  // the newest version delivered so far
    bool all_positioned = true;
    int32_t partition = kNoPartition;         // where its first event came
    std::vector<int32_t> other_partitions{};  // where others came (a partition anomaly each)
    // Events no version can be (yet), with where they came: judged at finish.
    std::vector<std::pair<size_t, ChangeEvent>> unexplained{};
    std::vector<ExpectedChange> rolled_back{};
  };
  // Evidence is written only for an anomaly: a statement keeps the facts, not the sentences.
  struct Statement {
    std::string key{};  // its JSON text
    OpSet ops = Op::Create;
    std::optional<size_t> first_at{};  // the sequence number of its first delivery
    std::optional<int64_t> lsn{};
    int64_t offset = 0;
    int32_t partition = 0;
    Op op = Op::Create;
  };
  struct Transaction {
    std::vector<Statement> statements{};
    size_t delivered = 0;
  };
  MatchRules rules_;
  Verdict verdict_;
  LatencyRecorder latency_;
  absl::flat_hash_map<std::string, Key> keys_;   // one probe per lookup, not a node chase
  std::map<int64_t, Transaction> transactions_;  // committed, with a txId, not yet whole
  uint64_t expected_ = 0;
  size_t observed_ = 0;
  size_t undelivered_ = 0;             // versions never delivered, across all keys
  size_t unexplained_ = 0;             // events no version could be when they came
  std::string key_text_, image_text_;  // reused for each event: no allocation per event
};

}  // namespace cdc
