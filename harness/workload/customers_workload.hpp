#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "harness/stack/endpoints.hpp"
#include "harness/workload/mutation.hpp"

namespace cdc {

enum class Outcome { Commit, Rollback };

// COMMIT was sent and no answer came (the server crashed, the connection broke): the
// transaction may or may not have committed. Like Jepsen's :info operations it is judged
// by what Postgres says afterwards (CustomersWorkload::fate), never assumed either way.
struct CommitInDoubt : std::runtime_error {
  CommitInDoubt(std::vector<Mutation> changes_, int64_t full_txid_, const std::string& why)
      : std::runtime_error("COMMIT of transaction " + std::to_string(full_txid_) +
                           " got no answer: " + why),
        changes(std::move(changes_)),
        full_txid(full_txid_) {}
  std::vector<Mutation> changes;
  int64_t full_txid;  // txid_current(), with its epoch: what txid_status() takes
};

// Mutates public.customers as the table's owner. `tag` makes every email it writes unique
// to one scenario, so scenarios running side by side never touch each other's rows.
class CustomersWorkload {
 public:
  CustomersWorkload(const PostgresEndpoint& app, std::string tag);
  ~CustomersWorkload();

  // Statements of one transaction.
  class Batch {
   public:
    Mutation insert(const std::string& first_name, const std::string& last_name);
    Mutation update_email(int id, const std::string& new_email);
    Mutation remove(int id);
    // Changes a row's primary key to a fresh one: Debezium reports a delete of the old key
    // and a create of the new one. Returns the new id.
    int change_id(int id);
    // Runs `body` inside a savepoint. Rolled back, its statements never happened: their
    // mutations leave the batch and are returned, for the caller to watch for.
    std::vector<Mutation> savepoint(const std::function<void(Batch&)>& body, Outcome outcome);
    int64_t tx_id() const { return tx_id_; }

   private:
    friend class CustomersWorkload;
    Batch(pqxx::work& tx, CustomersWorkload& owner, int64_t tx_id)
        : tx_(tx), owner_(owner), tx_id_(tx_id) {}
    pqxx::work& tx_;
    CustomersWorkload& owner_;
    int64_t tx_id_;
    int savepoints_ = 0;
    std::vector<Mutation> mutations_;
  };

  // Runs `body` as one transaction and returns its mutations in statement order.
  std::vector<Mutation> transaction(const std::function<void(Batch&)>& body,
                                    Outcome outcome = Outcome::Commit);

  // Single statements, each in a transaction of its own.
  Mutation insert(const std::string& first_name, const std::string& last_name);
  Mutation update_email(int id, const std::string& new_email);
  Mutation remove(int id);

  // A fence row for FencedReader (committed after the changes of interest), written also
  // after a database restart broke the connection. Its insert: its email is unique to it,
  // the marker to find its event by (fence_row()).
  Mutation fence();

  // A fresh connection after the old one broke (Postgres restarted, a fault cut it), retried
  // until Postgres answers or the deadline passes.
  void reconnect();
  // Whether a transaction whose COMMIT got no answer committed, as Postgres says once it
  // answers again: true, false (aborted), waiting while it is still in progress.
  bool committed(int64_t full_txid);

  std::string next_email();
  const std::string& tag() const { return tag_; }

 private:
  PostgresEndpoint app_;
  std::unique_ptr<pqxx::connection> conn_;
  std::string tag_;
  int emails_ = 0;
};

}  // namespace cdc
