#include "harness/workload/load_session.hpp"

#include <libpq-fe.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <memory>

#include "harness/common/clock.hpp"
#include "harness/common/errors.hpp"
#include "harness/common/text.hpp"
#include "harness/common/timeouts.hpp"
#include "harness/common/wait.hpp"

namespace cdc {
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

// Every statement returns the same three columns: a row image (NULL for a delete), the
// transaction's xid with its epoch, and the WAL insert position just after the change.
constexpr const char* kReturning =
    " RETURNING %s, txid_current(), (pg_current_wal_insert_lsn() - '0/0')::bigint";

std::string returning(const char* image) {
  char buffer[200];
  std::snprintf(buffer, sizeof buffer, kReturning, image);
  return buffer;
}

const std::string kInsert =
    "INSERT INTO public.customers (first_name, last_name, email) VALUES ($1, $2, $3)" +
    returning("row_to_json(customers)::text");
const std::string kUpdate =
    "UPDATE public.customers c SET email = $2 WHERE c.id = $1" + returning("row_to_json(c)::text");
const std::string kDelete = "DELETE FROM public.customers WHERE id = $1" + returning("NULL::text");

const char* statement_for(Op op) {
  return op == Op::Create ? "load_insert" : op == Op::Update ? "load_update" : "load_delete";
}

// A statement's parameters as libpq takes them, for one change (they point into `change`
// and into the id text this object holds, so it is built in place and never copied).
class StatementParams {
 public:
  StatementParams(Op op, int id, const std::string& email, const std::string& tag)
      : op_(op), id_(std::to_string(id)) {
    if (op == Op::Create) values_ = {"Load", tag.c_str(), email.c_str()};
    if (op == Op::Update) values_ = {id_.c_str(), email.c_str(), nullptr};
    if (op == Op::Delete) values_ = {id_.c_str(), nullptr, nullptr};
  }
  StatementParams(const StatementParams&) = delete;
  StatementParams& operator=(const StatementParams&) = delete;

  // Queues the statement on `conn`; false when libpq could not.
  bool send(pg_conn* conn) const {
    const int count = op_ == Op::Create ? 3 : op_ == Op::Update ? 2 : 1;
    return PQsendQueryPrepared(conn, statement_for(op_), count, values_.data(), nullptr, nullptr,
                               0) == 1;
  }

 private:
  Op op_;
  std::string id_;
  std::array<const char*, 3> values_{};
};

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

// A lost connection or a server going away (admin shutdown, crash recovery, cannot connect
// now): the workload reconnects and carries on. Anything else is a harness bug, raised.
bool server_gone(pg_conn* conn, const PGresult* r) {
  if (PQstatus(conn) != CONNECTION_OK) return true;
  const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  return state == nullptr || std::string_view(state).substr(0, 2) == "57" ||
         std::string_view(state).substr(0, 2) == "08";
}

std::string error_of(pg_conn* conn, const PGresult* r) {
  return first_line(r ? PQresultErrorMessage(r) : PQerrorMessage(conn));
}

int64_t as_int64_at(const PGresult* r, int row, int column) {
  int64_t value = 0;
  const char* text = PQgetvalue(r, row, column);
  std::from_chars(text, text + PQgetlength(r, row, column), value);
  return value;
}

int64_t as_int64(const PGresult* r, int column) {
  return as_int64_at(r, 0, column);
}

constexpr int64_t kKeepAcknowledgedUs = 10'000'000;
constexpr size_t kKeepAcknowledgedAtMost = 100'000;

json key_of(int id) {
  return json{{"id", id}};
}

}  // namespace

LoadSession::LoadSession(const PostgresEndpoint& app, std::string tag)
    : app_(app), tag_(std::move(tag)) {
  connect();
  if (PQstatus(conn_) != CONNECTION_OK) {
    const std::string why = first_line(PQerrorMessage(conn_));
    PQfinish(conn_);
    conn_ = nullptr;
    throw HarnessError("load session cannot connect to Postgres as " + app_.describe() + ": " +
                       why);
  }
}

LoadSession::~LoadSession() {
  if (conn_ != nullptr) PQfinish(conn_);
}

void LoadSession::connect() {
  if (conn_ != nullptr) PQfinish(conn_);
  conn_ = PQconnectdb(app_.conninfo().c_str());
  if (PQstatus(conn_) != CONNECTION_OK) return;
  for (const auto& [name, sql] :
       {std::pair{"load_insert", &kInsert}, std::pair{"load_update", &kUpdate},
        std::pair{"load_delete", &kDelete}}) {
    Result prepared(PQprepare(conn_, name, sql->c_str(), 0, nullptr));
    if (PQresultStatus(prepared.get()) != PGRES_COMMAND_OK) {
      if (server_gone(conn_, prepared.get())) return;
      throw HarnessError(std::string("load session cannot prepare ") + name + ": " +
                         error_of(conn_, prepared.get()));
    }
  }
}

void LoadSession::reconnect() {
  wait_for("Postgres to take connections again as " + app_.describe(), scaled(120s), [&] {
    connect();
    if (PQstatus(conn_) == CONNECTION_OK) return Probe<bool>::ready(true);
    return Probe<bool>::not_yet(first_line(PQerrorMessage(conn_)));
  });
  reconnected_ = true;  // Postgres may have crashed: what it kept is checked once idle
}

std::string LoadSession::next_email() {
  char number[24];
  const auto end = std::to_chars(number, number + sizeof number, ++emails_).ptr;
  std::string email;
  email.reserve(tag_.size() + 16 + static_cast<size_t>(end - number));
  email.append(tag_).append("-").append(number, end).append("@example.com");
  return email;
}

LoadSession::Sent LoadSession::sent_for(const PlannedChange& change) {
  Sent sent{change.op};
  if (change.op != Op::Create) sent.id = live_.at(change.row);
  if (change.op != Op::Delete) sent.email = next_email();
  return sent;
}

TransactionResult LoadSession::run(const std::vector<PlannedChange>& plan) {
  if (!in_flight_.empty())
    throw HarnessError("load session: run() while statements sent by send() are unanswered");
  if (PQstatus(conn_) != CONNECTION_OK) reconnect();
  std::vector<Sent> sent;
  sent.reserve(plan.size());
  for (const auto& change : plan) sent.push_back(sent_for(change));
  written_.clear();
  TransactionResult result = pipelined(sent);
  if (result.fate == TransactionResult::Fate::Committed) {
    apply(result.changes);
    if (!result.in_doubt) note_acknowledged(result.changes);
  }
  if (reconnected_ && in_flight_.empty()) check_what_postgres_kept();
  return result;
}

Mutation LoadSession::mutation(const Sent& sent, const Returned& r) const {
  Mutation m;
  m.op = sent.op;
  m.tx_id = r.xid;
  if (sent.op != Op::Create) {
    const auto image = images_.find(sent.id);
    if (image == images_.end())
      throw HarnessError("load session has no image of its row " + std::to_string(sent.id));
    m.before = json::parse(image->second);
  }
  if (sent.op != Op::Delete) m.after = json::parse(r.after);
  m.key = key_of(sent.op == Op::Create ? m.after->at("id").get<int>() : sent.id);
  return m;
}

TransactionResult LoadSession::answered(const Sent& change, const PGresult* r) {
  if (PQntuples(r) != 1)
    throw HarnessError("load session: row " + std::to_string(change.id) +
                       " is not there to change");
  Returned returned{{}, PQgetisnull(r, 0, 0) ? "" : PQgetvalue(r, 0, 0)};
  returned.full_xid = as_int64(r, 1);
  returned.xid = returned.full_xid % 4294967296;
  returned.lsn = as_int64(r, 2);
  TransactionResult result;
  result.changes.push_back(mutation(change, returned));
  result.changes.back().commit_lsn = returned.lsn;
  result.commit_lsn = returned.lsn;
  written_.emplace_back(result.changes.back().key.at("id").get<int>(), std::move(returned.after));
  return result;
}

TransactionResult LoadSession::judge_by_row(const Sent& change) {
  TransactionResult result;
  result.in_doubt = true;
  const std::string id = std::to_string(change.id);
  const char* by_email[] = {change.email.c_str()};
  const char* by_id[] = {id.c_str()};
  Result r(change.op == Op::Create
               ? PQexecParams(conn_,
                              "SELECT row_to_json(c)::text, xmin::text::bigint, email "
                              "FROM public.customers c WHERE email = $1",
                              1, nullptr, by_email, nullptr, nullptr, 0)
               : PQexecParams(conn_,
                              "SELECT row_to_json(c)::text, xmin::text::bigint, email "
                              "FROM public.customers c WHERE id = $1",
                              1, nullptr, by_id, nullptr, nullptr, 0));
  if (PQresultStatus(r.get()) != PGRES_TUPLES_OK)
    throw HarnessError("load session cannot read back its row: " + error_of(conn_, r.get()));
  const bool there = PQntuples(r.get()) == 1;
  const bool happened = change.op == Op::Delete ? !there
                        : change.op == Op::Create
                            ? there
                            : there && change.email == PQgetvalue(r.get(), 0, 2);
  if (!happened) {
    // Nothing of it happened, and without its xid there is nothing exact to say about it
    // (an insert has not even a key): no history entry.
    result.fate = TransactionResult::Fate::RolledBack;
    return result;
  }
  Returned returned;
  if (there) {
    returned.after = PQgetvalue(r.get(), 0, 0);
    returned.xid = as_int64(r.get(), 1);  // xmin: the xid that wrote this version
  }
  // A delete's xid is gone with its row: left unknown (0), so the checker matches it by key,
  // op and before image only.
  result.changes.push_back(mutation(change, returned));
  written_.emplace_back(result.changes.back().key.at("id").get<int>(), std::move(returned.after));
  return result;
}

TransactionResult LoadSession::pipelined(const std::vector<Sent>& changes) {
  TransactionResult result;
  if (PQenterPipelineMode(conn_) != 1)
    throw HarnessError("load session cannot enter pipeline mode: " + error_of(conn_, nullptr));
  bool sent = PQsendQueryParams(conn_, "BEGIN", 0, nullptr, nullptr, nullptr, nullptr, 0) == 1;
  for (const auto& change : changes)
    sent = sent && StatementParams(change.op, change.id, change.email, tag_).send(conn_);
  sent = sent && PQpipelineSync(conn_) == 1;
  // Results in order: BEGIN's, each statement's (each followed by a null), then the sync.
  std::string error;
  bool gone = !sent;
  std::vector<Returned> returned(changes.size());
  for (size_t i = 0; !gone && i <= changes.size(); ++i) {
    Result r(PQgetResult(conn_));
    const auto status = PQresultStatus(r.get());
    const bool ok =
        i == 0 ? status == PGRES_COMMAND_OK : status == PGRES_TUPLES_OK && PQntuples(r.get()) == 1;
    if (!ok) {
      gone = server_gone(conn_, r.get());
      if (error.empty())
        error = status == PGRES_TUPLES_OK
                    ? "row " + std::to_string(changes[i - 1].id) + " is not there to change"
                    : error_of(conn_, r.get());
    } else if (i > 0) {
      Returned& back = returned[i - 1];
      if (!PQgetisnull(r.get(), 0, 0)) back.after = PQgetvalue(r.get(), 0, 0);
      back.full_xid = as_int64(r.get(), 1);
      back.xid = back.full_xid % 4294967296;
      back.lsn = as_int64(r.get(), 2);
    }
    if (r != nullptr) PQgetResult(conn_);  // the null that ends this query's results
  }
  if (!gone) {
    Result sync(PQgetResult(conn_));
    gone = PQresultStatus(sync.get()) != PGRES_PIPELINE_SYNC && server_gone(conn_, sync.get());
  }
  if (gone) {
    // COMMIT was never sent: nothing of it happened.
    reconnect();
    result.fate = TransactionResult::Fate::Failed;
    return result;
  }
  PQexitPipelineMode(conn_);
  if (!error.empty()) {
    Result(PQexec(conn_, "ROLLBACK"));
    throw HarnessError("load transaction failed: " + error);
  }
  // Images chain within the transaction: a row changed twice has the first change's after
  // as the second's before.
  std::unordered_map<int, std::string> touched;
  for (size_t i = 0; i < changes.size(); ++i) {
    Mutation m = mutation(changes[i], returned[i]);
    if (changes[i].op != Op::Create) {
      if (const auto t = touched.find(changes[i].id); t != touched.end())
        m.before = json::parse(t->second);
    }
    if (changes[i].op != Op::Delete) touched[m.key.at("id").get<int>()] = returned[i].after;
    written_.emplace_back(m.key.at("id").get<int>(), std::move(returned[i].after));
    result.changes.push_back(std::move(m));
  }
  result.commit_lsn = returned.back().lsn;
  for (auto& m : result.changes) m.commit_lsn = result.commit_lsn;
  Result commit(PQexec(conn_, "COMMIT"));
  if (PQresultStatus(commit.get()) == PGRES_COMMAND_OK) return result;
  if (!server_gone(conn_, commit.get()))
    throw HarnessError("load transaction's COMMIT failed: " + error_of(conn_, commit.get()));
  result.in_doubt = true;
  reconnect();
  // The rows say whether it committed (and what else a crash took): not txid_status, whose
  // answer can be another transaction's once a crash let Postgres hand its xid out again.
  if (check_what_postgres_kept({result.changes}) == 0)
    result.fate = TransactionResult::Fate::RolledBack;
  return result;
}

void LoadSession::send(const PlannedChange& change, int64_t due_us) {
  if (PQstatus(conn_) != CONNECTION_OK) reconnect();
  if (reconnected_ && in_flight_.empty()) check_what_postgres_kept();
  in_flight_.push_back({sent_for(change), due_us, nullptr});
  const Sent& sent = in_flight_.back().sent;  // where the parameters point: it stays put
  if (change.op != Op::Create) busy_.insert(sent.id);
  // Each statement is followed by a Sync: its own transaction, committed before the next runs.
  const bool ok = PQpipelineStatus(conn_) != PQ_PIPELINE_OFF || PQenterPipelineMode(conn_) == 1;
  if (!ok || !StatementParams(sent.op, sent.id, sent.email, tag_).send(conn_) ||
      PQpipelineSync(conn_) != 1) {
    if (PQstatus(conn_) == CONNECTION_OK)
      throw HarnessError("load session cannot send: " + error_of(conn_, nullptr));
  }
}

void LoadSession::finish(std::vector<Answered>& out, TransactionResult result) {
  InFlight done = std::move(in_flight_.front());
  in_flight_.pop_front();
  if (done.result != nullptr) PQclear(done.result);
  busy_.erase(done.sent.id);
  if (result.fate == TransactionResult::Fate::Committed) {
    apply(result.changes);
    if (!result.in_doubt) note_acknowledged(result.changes);
  }
  out.push_back({std::move(result), done.due_us, now_us()});
}

// What has arrived: per statement its result, a null, then the Sync's answer (the commit).
void LoadSession::read_answers(std::vector<Answered>& out) {
  while (!in_flight_.empty() && PQisBusy(conn_) == 0) {
    PGresult* r = PQgetResult(conn_);
    if (r == nullptr) continue;  // the end of one statement's results
    InFlight& front = in_flight_.front();
    const auto status = PQresultStatus(r);
    if (status == PGRES_PIPELINE_SYNC) {
      PQclear(r);
      if (front.result == nullptr) throw HarnessError("load session: a Sync answered no statement");
      written_.clear();
      finish(out, answered(front.sent, front.result));
    } else if (status == PGRES_TUPLES_OK && front.result == nullptr) {
      front.result = r;
    } else {
      const std::string error = error_of(conn_, r);
      const bool gone = server_gone(conn_, r);
      PQclear(r);
      if (!gone) throw HarnessError("load statement failed: " + error);
      lost_answers(out);
      return;
    }
  }
}

// The connection broke with statements in flight: each may or may not have committed.
void LoadSession::lost_answers(std::vector<Answered>& out) {
  reconnect();
  // A statement in flight whose email Postgres holds committed, and so did everything sent
  // before it: each is judged by its row. Otherwise only the deletes sent first can have
  // committed, and the rows decide how much of what was sent Postgres kept.
  std::vector<std::string> emails;
  std::vector<std::vector<Mutation>> leading_deletes;
  for (const auto& f : in_flight_) {
    if (f.sent.op != Op::Delete) {
      emails.push_back(f.sent.email);
    } else if (emails.empty()) {
      const auto image = images_.find(f.sent.id);
      if (image != images_.end())
        leading_deletes.push_back(
            {Mutation{Op::Delete, key_of(f.sent.id), json::parse(image->second), {}, 0, {}}});
    }
  }
  const size_t committed_deletes =
      holds_any(emails) ? in_flight_.size() : check_what_postgres_kept(leading_deletes);
  for (size_t i = 0; !in_flight_.empty(); ++i) {
    written_.clear();
    if (i < committed_deletes) {
      finish(out, judge_by_row(in_flight_.front().sent));
      continue;
    }
    TransactionResult nothing;  // after what Postgres kept: it never committed
    nothing.in_doubt = true;
    nothing.fate = TransactionResult::Fate::RolledBack;
    finish(out, std::move(nothing));
  }
}

void LoadSession::take_answers(std::vector<Answered>& out) {
  if (in_flight_.empty()) return;
  if (PQconsumeInput(conn_) != 1) {
    lost_answers(out);
    return;
  }
  read_answers(out);
}

int LoadSession::socket() const {
  return PQsocket(conn_);
}

void LoadSession::apply(const std::vector<Mutation>& committed_changes) {
  for (size_t i = 0; i < committed_changes.size(); ++i) {
    const Mutation& m = committed_changes[i];
    auto& [id, image] = written_[i];
    if (m.op == Op::Delete) {
      images_.erase(id);
      const auto at = std::find(live_.begin(), live_.end(), id);
      if (at != live_.end()) {
        *at = live_.back();
        live_.pop_back();
      }
      continue;
    }
    if (m.op == Op::Create) live_.push_back(id);
    images_[id] = std::move(image);
  }
}

void LoadSession::note_acknowledged(const std::vector<Mutation>& changes) {
  const int64_t now = now_us();
  acknowledged_.push_back({changes, now});
  // A crash takes back at most the commits of the last few WAL writer rounds (200 ms each by
  // default): ten seconds of them is ample.
  while (!acknowledged_.empty() && (acknowledged_.front().answered_us < now - kKeepAcknowledgedUs ||
                                    acknowledged_.size() > kKeepAcknowledgedAtMost))
    acknowledged_.pop_front();
}

bool LoadSession::holds_any(const std::vector<std::string>& emails) {
  if (emails.empty()) return false;
  std::string array = "{";
  for (const auto& email : emails) array += (array.size() > 1 ? ",\"" : "\"") + email + "\"";
  array += "}";
  const char* values[] = {array.c_str()};
  Result r(PQexecParams(conn_,
                        "SELECT count(*) FROM public.customers WHERE email = ANY($1::text[])", 1,
                        nullptr, values, nullptr, nullptr, 0));
  if (PQresultStatus(r.get()) != PGRES_TUPLES_OK) {
    if (!server_gone(conn_, r.get()))
      throw HarnessError("load session cannot read back its rows: " + error_of(conn_, r.get()));
    reconnect();
    return holds_any(emails);
  }
  return as_int64(r.get(), 0) > 0;
}

size_t LoadSession::check_what_postgres_kept(const std::vector<std::vector<Mutation>>& in_doubt) {
  reconnected_ = false;
  const std::string prefix = tag_ + "-";
  const char* values[] = {prefix.c_str()};
  Result rows(PQexecParams(conn_,
                           "SELECT id, row_to_json(c)::text, email FROM public.customers c "
                           "WHERE starts_with(email, $1)",
                           1, nullptr, values, nullptr, nullptr, 0));
  Result settings(PQexec(conn_,
                         "SELECT 'synchronous_commit=' || current_setting('synchronous_commit') || "
                         "', fsync=' || current_setting('fsync') || ', full_page_writes=' || "
                         "current_setting('full_page_writes')"));
  if (PQresultStatus(rows.get()) != PGRES_TUPLES_OK ||
      PQresultStatus(settings.get()) != PGRES_TUPLES_OK) {
    if (!server_gone(conn_, rows.get()))
      throw HarnessError("load session cannot read back its rows: " + error_of(conn_, rows.get()));
    reconnect();  // gone again (a second crash): read back once it answers
    return check_what_postgres_kept(in_doubt);
  }
  durability_ = PQgetvalue(settings.get(), 0, 0);
  // Postgres's rows of this session (emails "<tag>-<n>@example.com"), and the session's own
  // view of them, as row images.
  std::unordered_map<int, json> kept;
  std::unordered_map<int, std::string> kept_text;
  for (int i = 0; i < PQntuples(rows.get()); ++i) {
    const std::string_view email = PQgetvalue(rows.get(), i, 2);
    const auto rest = email.substr(prefix.size());
    const auto at = rest.find('@');
    if (at == 0 || at == std::string_view::npos ||
        rest.substr(0, at).find_first_not_of("0123456789") != std::string_view::npos ||
        rest.substr(at) != "@example.com")
      continue;
    const int id = static_cast<int>(as_int64_at(rows.get(), i, 0));
    kept_text[id] = PQgetvalue(rows.get(), i, 1);
    kept[id] = json::parse(kept_text[id]);
  }
  std::unordered_map<int, json> mine;
  for (const int id : live_) mine[id] = json::parse(images_.at(id));
  std::unordered_set<int> differing;
  const auto judge = [&](int id) {
    const auto a = mine.find(id), b = kept.find(id);
    const bool same = a == mine.end() ? b == kept.end() : b != kept.end() && a->second == b->second;
    if (same) {
      differing.erase(id);
    } else {
      differing.insert(id);
    }
  };
  // The whole sequence applied: what the session acknowledged, then what is in doubt.
  std::vector<std::pair<int, std::optional<json>>> replaced;  // to undo what is in doubt
  for (const auto& transaction : in_doubt) {
    for (const auto& m : transaction) {
      const int id = m.key.at("id").get<int>();
      const auto it = mine.find(id);
      replaced.emplace_back(id, it == mine.end() ? std::nullopt : std::optional(it->second));
      if (m.op == Op::Delete) {
        mine.erase(id);
      } else {
        mine[id] = *m.after;
      }
    }
  }
  for (const auto& [id, row] : mine) judge(id);
  for (const auto& [id, row] : kept) judge(id);
  // Undone newest first until the session's view is Postgres's.
  size_t undone = 0;
  for (size_t t = in_doubt.size(); t-- > 0 && !differing.empty(); ++undone) {
    for (size_t c = in_doubt[t].size(); c-- > 0;) {
      auto& [id, before] = replaced[replaced.size() - 1];
      if (before) {
        mine[id] = std::move(*before);
      } else {
        mine.erase(id);
      }
      judge(id);
      replaced.pop_back();
    }
  }
  size_t acknowledged_lost = 0;
  for (; !differing.empty() && acknowledged_lost < acknowledged_.size(); ++acknowledged_lost) {
    const auto& commit = acknowledged_[acknowledged_.size() - 1 - acknowledged_lost];
    for (auto m = commit.changes.rbegin(); m != commit.changes.rend(); ++m) {
      const int id = m->key.at("id").get<int>();
      if (m->op == Op::Create) {
        mine.erase(id);
      } else {
        mine[id] = *m->before;
      }
      judge(id);
    }
  }
  if (!differing.empty()) {
    const int id = *differing.begin();
    throw HarnessError("load session " + tag_ + ": after Postgres came back, its row " +
                       std::to_string(id) + " is " +
                       (kept.count(id) ? kept.at(id).dump() : std::string("gone")) +
                       ", which no prefix of its last " + std::to_string(acknowledged_.size()) +
                       " acknowledged commits explains (" + durability_ + ")");
  }
  for (size_t i = acknowledged_.size() - acknowledged_lost; i < acknowledged_.size(); ++i)
    lost_.push_back({std::move(acknowledged_[i].changes), acknowledged_[i].answered_us});
  acknowledged_.clear();  // the rest survived the crash: durable now
  if (acknowledged_lost > 0) {
    // The session goes on from the rows Postgres kept.
    live_.clear();
    images_.clear();
    for (auto& [id, text] : kept_text) {
      live_.push_back(id);
      images_[id] = std::move(text);
    }
    std::sort(live_.begin(), live_.end());
  }
  return in_doubt.size() - undone;
}

}  // namespace cdc
