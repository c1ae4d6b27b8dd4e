#pragma once
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "harness/stack/endpoints.hpp"
#include "harness/workload/mutation.hpp"

struct pg_conn;
struct pg_result;

namespace cdc {

// One change a load transaction is to make: an insert, or an update or delete of one of the
// session's live rows (by its index in live_rows()).
struct PlannedChange {
  Op op = Op::Create;
  size_t row = 0;  // update/delete: index into live_rows() when the transaction was planned
};

struct TransactionResult {
  enum class Fate { Committed, RolledBack, Failed };
  Fate fate = Fate::Committed;  // Failed: cut off before COMMIT was sent, nothing of it happened
  bool in_doubt = false;        // no clean answer to COMMIT: fate judged by asking Postgres
  std::vector<Mutation> changes{};
  std::optional<int64_t> commit_lsn{};
};

// A commit Postgres acknowledged and, as its rows showed after a crash, lost.
struct LostCommit {
  std::vector<Mutation> changes{};
  int64_t answered_us = 0;  // when COMMIT returned
};

// A single-statement transaction that was sent when it was due, and its answer.
struct Answered {
  TransactionResult result{};
  int64_t due_us = 0;
  int64_t answered_us = 0;
};

// The open-loop generator's connection to Postgres, on libpq directly and built for rate:
// - send(): a single-statement transaction, one message: the statement runs in autocommit
//   and returns its row image, its xid and the WAL position after it (pgbench's cost), and
//   is sent without waiting for the answers of those before it (libpq pipeline mode, a Sync
//   after each: each its own transaction, committed in the order sent);
// - run(): a transaction in two round trips: BEGIN and its statements in one pipeline, then
//   COMMIT once its xid is known;
// - statements are prepared once per connection.
// Its rows are its own (emails tagged with `tag`), so when an answer is lost it can tell
// exactly what happened by reading its rows back (an insert by its unique email, an update by
// the email it set, a delete by the row's absence), and after a crash which of its
// acknowledged commits Postgres kept (synchronous_commit=off loses some). The row images it
// keeps per live row are what it reports as `before`.
class LoadSession {
 public:
  LoadSession(const PostgresEndpoint& app, std::string tag);
  ~LoadSession();
  LoadSession(const LoadSession&) = delete;
  LoadSession& operator=(const LoadSession&) = delete;

  const std::vector<int>& live_rows() const { return live_; }
  // A live row that a statement in flight changes: not to be planned again until answered.
  bool busy(size_t row) const { return busy_.count(live_.at(row)) > 0; }
  // One transaction, waiting for its answer.
  TransactionResult run(const std::vector<PlannedChange>& plan);

  // One single-statement transaction, sent without waiting for any answer.
  void send(const PlannedChange& change, int64_t due_us);
  // The answers that have arrived, without waiting for more. Lost answers (the connection
  // broke) are judged by reading the rows back, after reconnecting.
  void take_answers(std::vector<Answered>& out);
  size_t in_flight() const { return in_flight_.size(); }
  // What to poll for answers on (it changes when the session reconnects).
  int socket() const;

  // Commits Postgres acknowledged and lost, found when the session reconnected after a
  // crash (handed over once); and the durability settings in force then.
  std::vector<LostCommit> take_lost_commits() { return std::exchange(lost_, {}); }
  const std::string& durability() const { return durability_; }
  // When the oldest unanswered statement was due: every statement sent before it is answered.
  std::optional<int64_t> oldest_due_in_flight() const {
    if (in_flight_.empty()) return std::nullopt;
    return in_flight_.front().due_us;
  }

 private:
  struct Sent {  // one statement of a transaction, as sent
    Op op;
    int id = 0;
    std::string email{};
  };
  Sent sent_for(const PlannedChange& change);  // its row's id and a fresh email
  void connect();
  void reconnect();
  // Row image text, xid (32-bit) and WAL position a statement returned.
  struct Returned {
    std::string before{}, after{};
    int64_t xid = 0, full_xid = 0, lsn = 0;
  };
  TransactionResult pipelined(const std::vector<Sent>& changes);
  // The fate of a single statement whose answer was lost, read from its row.
  TransactionResult judge_by_row(const Sent& change);
  TransactionResult answered(const Sent& change, const pg_result* r);
  void read_answers(std::vector<Answered>& out);
  void lost_answers(std::vector<Answered>& out);
  void finish(std::vector<Answered>& out, TransactionResult result);
  Mutation mutation(const Sent& sent, const Returned& r) const;
  void apply(const std::vector<Mutation>& committed_changes);
  // Keeps an acknowledged commit for a while: what a crash can take back.
  void note_acknowledged(const std::vector<Mutation>& changes);
  // After a reconnect: the session's rows as Postgres has them decide which of its latest
  // acknowledged commits survived, and which of `in_doubt` (transactions sent after them
  // whose COMMIT got no answer, in order, with their effects known) committed. Postgres kept
  // a prefix of the whole sequence (the WAL is one): the longest prefix whose rows are
  // Postgres's is it. Acknowledged commits past it go to lost_, and the session goes on from
  // Postgres's rows. Returns how many of `in_doubt` committed.
  size_t check_what_postgres_kept(const std::vector<std::vector<Mutation>>& in_doubt = {});
  bool holds_any(const std::vector<std::string>& emails);  // a row has one of them
  std::string next_email();

  PostgresEndpoint app_;
  std::string tag_;
  pg_conn* conn_ = nullptr;
  long emails_ = 0;
  std::vector<int> live_;
  std::unordered_map<int, std::string> images_;       // live row id -> its row_to_json text
  std::vector<std::pair<int, std::string>> written_;  // the running transaction's, per change
  struct InFlight {
    Sent sent;
    int64_t due_us = 0;
    pg_result* result = nullptr;  // its answer, once read (the Sync's still to come)
  };
  std::deque<InFlight> in_flight_;
  std::unordered_set<int> busy_;  // rows that statements in flight change
  struct Acknowledged {
    std::vector<Mutation> changes;
    int64_t answered_us = 0;
  };
  std::deque<Acknowledged> acknowledged_;  // the latest, oldest first
  bool reconnected_ = false;               // since the last check of what Postgres kept
  std::vector<LostCommit> lost_;
  std::string durability_;
};

}  // namespace cdc
