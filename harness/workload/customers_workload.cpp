#include "harness/workload/customers_workload.hpp"

#include <pqxx/pqxx>

#include "harness/common/errors.hpp"
#include "harness/common/text.hpp"
#include "harness/common/timeouts.hpp"
#include "harness/common/wait.hpp"

namespace cdc {
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

json row(const pqxx::field& field) {
  return json::parse(field.c_str());
}

json key_of(const json& customer) {
  return {{"id", customer.at("id")}};
}

}  // namespace

CustomersWorkload::CustomersWorkload(const PostgresEndpoint& app, std::string tag)
    : app_(app), tag_(std::move(tag)) {
  try {
    conn_ = std::make_unique<pqxx::connection>(app.conninfo());
  } catch (const std::exception& e) {
    throw HarnessError("workload cannot connect to Postgres as " + app.describe() + ": " +
                       e.what());
  }
}

CustomersWorkload::~CustomersWorkload() = default;

Mutation CustomersWorkload::fence() {
  try {
    return insert("fence", tag_);
  } catch (const pqxx::broken_connection&) {
    reconnect();
    return insert("fence", tag_);
  }
}

void CustomersWorkload::reconnect() {
  conn_.reset();
  wait_for("Postgres to take connections again as " + app_.describe(), scaled(120s), [&] {
    try {
      conn_ = std::make_unique<pqxx::connection>(app_.conninfo());
      return Probe<bool>::ready(true);
    } catch (const std::exception& e) {
      return Probe<bool>::not_yet(first_line(e.what()));
    }
  });
}

bool CustomersWorkload::committed(int64_t full_txid) {
  return wait_for(
      "Postgres to say whether transaction " + std::to_string(full_txid) + " committed",
      scaled(120s), [&] {
        try {
          if (!conn_ || !conn_->is_open()) reconnect();
          pqxx::nontransaction tx(*conn_);
          const auto status = tx.exec_params1("SELECT txid_status($1)", full_txid)[0];
          if (status.is_null())
            throw HarnessError("Postgres no longer knows transaction " + std::to_string(full_txid));
          const std::string said = status.c_str();
          if (said == "in progress") return Probe<bool>::not_yet("in progress");
          return Probe<bool>::ready(said == "committed");
        } catch (const pqxx::broken_connection& e) {
          conn_.reset();
          return Probe<bool>::not_yet(first_line(e.what()));
        }
      });
}

std::string CustomersWorkload::next_email() {
  return tag_ + "-" + std::to_string(++emails_) + "@example.com";
}

Mutation CustomersWorkload::Batch::insert(const std::string& first_name,
                                          const std::string& last_name) {
  const auto result = tx_.exec_params1(
      "INSERT INTO public.customers (first_name, last_name, email) VALUES ($1, $2, $3) "
      "RETURNING row_to_json(customers)",
      first_name, last_name, owner_.next_email());
  const json after = row(result[0]);
  mutations_.push_back({Op::Create, key_of(after), std::nullopt, after, tx_id_});
  return mutations_.back();
}

Mutation CustomersWorkload::Batch::update_email(int id, const std::string& new_email) {
  const auto result = tx_.exec_params(
      "UPDATE public.customers c SET email = $2 FROM (SELECT * FROM public.customers WHERE id = $1 "
      "FOR UPDATE) old "
      "WHERE c.id = old.id RETURNING row_to_json(old), row_to_json(c)",
      id, new_email);
  if (result.size() != 1)
    throw HarnessError("workload: no customer with id " + std::to_string(id) + " to update");
  const json before = row(result[0][0]);
  const json after = row(result[0][1]);
  mutations_.push_back({Op::Update, key_of(after), before, after, tx_id_});
  return mutations_.back();
}

Mutation CustomersWorkload::Batch::remove(int id) {
  const auto result = tx_.exec_params(
      "DELETE FROM public.customers WHERE id = $1 RETURNING row_to_json(customers)", id);
  if (result.size() != 1)
    throw HarnessError("workload: no customer with id " + std::to_string(id) + " to delete");
  const json before = row(result[0][0]);
  mutations_.push_back({Op::Delete, key_of(before), before, std::nullopt, tx_id_});
  return mutations_.back();
}

int CustomersWorkload::Batch::change_id(int id) {
  const auto result = tx_.exec_params(
      "WITH old AS (SELECT * FROM public.customers WHERE id = $1 FOR UPDATE) "
      "UPDATE public.customers c SET id = nextval(pg_get_serial_sequence('public.customers', "
      "'id')) "
      "FROM old WHERE c.id = old.id RETURNING row_to_json(old), row_to_json(c)",
      id);
  if (result.size() != 1)
    throw HarnessError("workload: no customer with id " + std::to_string(id) + " to re-key");
  const json before = row(result[0][0]);
  const json after = row(result[0][1]);
  mutations_.push_back({Op::Delete, key_of(before), before, std::nullopt, tx_id_});
  mutations_.push_back({Op::Create, key_of(after), std::nullopt, after, tx_id_});
  return after.at("id").get<int>();
}

std::vector<Mutation> CustomersWorkload::Batch::savepoint(const std::function<void(Batch&)>& body,
                                                          Outcome outcome) {
  const std::string name = "sp" + std::to_string(++savepoints_);
  tx_.exec0("SAVEPOINT " + name);
  const size_t mark = mutations_.size();
  body(*this);
  std::vector<Mutation> made(mutations_.begin() + static_cast<long>(mark), mutations_.end());
  if (outcome == Outcome::Rollback) {
    tx_.exec0("ROLLBACK TO SAVEPOINT " + name);
    mutations_.resize(mark);
  } else {
    tx_.exec0("RELEASE SAVEPOINT " + name);
  }
  return made;
}

std::vector<Mutation> CustomersWorkload::transaction(const std::function<void(Batch&)>& body,
                                                     Outcome outcome) {
  pqxx::work tx(*conn_);
  // Debezium reports the 32-bit xid; txid_current() adds the epoch on top, and is what
  // txid_status() takes should the COMMIT go unanswered.
  const auto ids = tx.exec1("SELECT txid_current(), txid_current() % 4294967296");
  const auto full_txid = ids[0].as<int64_t>();
  Batch batch(tx, *this, ids[1].as<int64_t>());
  body(batch);
  if (outcome == Outcome::Commit) {
    const auto lsn =
        tx.exec1("SELECT (pg_current_wal_insert_lsn() - '0/0')::bigint")[0].as<int64_t>();
    for (auto& m : batch.mutations_) m.commit_lsn = lsn;
    try {
      tx.commit();
    } catch (const pqxx::in_doubt_error& e) {
      throw CommitInDoubt(batch.mutations_, full_txid, e.what());
    } catch (const pqxx::broken_connection& e) {
      throw CommitInDoubt(batch.mutations_, full_txid, e.what());
    }
  } else {
    tx.abort();
  }
  return batch.mutations_;
}

Mutation CustomersWorkload::insert(const std::string& first_name, const std::string& last_name) {
  return transaction([&](Batch& b) { b.insert(first_name, last_name); }).front();
}

Mutation CustomersWorkload::update_email(int id, const std::string& new_email) {
  return transaction([&](Batch& b) { b.update_email(id, new_email); }).front();
}

Mutation CustomersWorkload::remove(int id) {
  return transaction([&](Batch& b) { b.remove(id); }).front();
}

}  // namespace cdc
