#include "harness/workload/load_generator.hpp"

#include <algorithm>
#include <atomic>
#include <optional>
#include <random>
#include <thread>

#include "harness/common/clock.hpp"
#include "harness/common/errors.hpp"
#include "harness/common/interrupt.hpp"
#include "harness/common/process_usage.hpp"
#include "harness/workload/load_session.hpp"

namespace cdc {

namespace {

struct SessionTotals {
  size_t transactions = 0, changes = 0, late = 0, in_doubt = 0, failed = 0, waits = 0;
  size_t lost_by_database = 0;
  int64_t max_delay_us = 0;
  std::string error;
};

// One session's share of the open loop's schedule: sessions interleave on one timetable of
// the profile's rate.
struct SessionSchedule {
  SessionSchedule(const LoadProfile& profile, int session,
                  std::chrono::system_clock::time_point start)
      : start_(start),
        end_(start + profile.duration),
        stop_at_end_(profile.stop_at_end),
        ends_at_us_(profile.ends_at_us),
        interval_(profile.sessions / profile.rate),
        offset_(static_cast<double>(session) / profile.sessions) {}

  // When the k-th transaction is due (wall clock, µs); nullopt past the end or on Ctrl-C.
  std::optional<int64_t> due_us(long k) const {
    const auto due = start_ + std::chrono::duration_cast<std::chrono::system_clock::duration>(
                                  interval_ * (static_cast<double>(k) + offset_));
    if (due >= end_ || interrupted()) return std::nullopt;
    const int64_t us =
        std::chrono::duration_cast<std::chrono::microseconds>(due.time_since_epoch()).count();
    // Due or not, nothing starts past a cut-off (a late schedule would run on).
    if (stop_at_end_ && std::chrono::system_clock::now() >= end_) return std::nullopt;
    if (ends_at_us_ && std::max(us, now_us()) >= ends_at_us_->load()) return std::nullopt;
    return us;
  }

 private:
  std::chrono::system_clock::time_point start_, end_;
  bool stop_at_end_;
  const std::atomic<int64_t>* ends_at_us_;
  std::chrono::duration<double> interval_;
  double offset_;
};

// A transaction starts now: how late against when it was due, the generator's own lag.
void note_start(int64_t due_us, SessionTotals& totals) {
  const int64_t delay = now_us() - due_us;
  if (delay > 10'000) ++totals.late;
  totals.max_delay_us = std::max(totals.max_delay_us, delay);
}

// Records what the session's answers say, then the acknowledged commits Postgres lost (found
// after the answers: a retraction follows the commit it takes back).
void record(std::vector<Answered>& answers, LoadSession& session, History& history,
            SessionTotals& totals) {
  for (auto& a : answers) {
    if (a.result.in_doubt) ++totals.in_doubt;
    if (a.result.fate == TransactionResult::Fate::Failed) {
      ++totals.failed;  // cut off before COMMIT: nothing of it happened; the schedule goes on
      continue;
    }
    totals.changes += a.result.changes.size();
    if (!a.result.changes.empty()) {
      history.record_transaction(std::move(a.result.changes),
                                 a.result.fate == TransactionResult::Fate::Committed, a.due_us,
                                 a.answered_us, a.result.commit_lsn);
    }
    ++totals.transactions;
  }
  answers.clear();
  for (auto& lost : session.take_lost_commits()) {
    ++totals.lost_by_database;
    history.record_lost_by_database(std::move(lost.changes), lost.answered_us,
                                    session.durability());
  }
}

// Single-statement transactions, each sent when due without waiting for the answers of those
// before it: the session never holds the schedule back, so a slow pipeline shows as latency,
// not as fewer transactions (and the client's round trips cost no throughput).
void run_pipelined_session(const PostgresEndpoint& app, const std::string& tag,
                           const LoadProfile& profile, int session,
                           std::chrono::system_clock::time_point start, History& history,
                           SessionTotals& totals) {
  constexpr size_t kMaxInFlight = 256;  // past this, a session waits: it shows as late starts
  LoadSession connection(app, tag + "-s" + std::to_string(session));
  std::mt19937 random(static_cast<unsigned>(session) * 7919u + 17u);
  const SessionSchedule schedule(profile, session, start);
  std::vector<Answered> answers;
  for (long k = 0;; ++k) {
    const auto due = schedule.due_us(k);
    if (!due) break;
    const int64_t due_us = *due;
    connection.collect(due_us, answers);  // answers that arrive before it is due
    if (connection.in_flight() >= kMaxInFlight) {
      // Waits until a quarter has been answered, not just one: answers are then read, and
      // statements sent, many at a time rather than one per wake-up.
      ++totals.waits;
      connection.await_in_flight_at_most(kMaxInFlight * 3 / 4, answers);
    }
    record(answers, connection, history, totals);
    history.note_recorded_through(session, connection.oldest_due_in_flight().value_or(now_us()));
    note_start(due_us, totals);
    const size_t live = connection.live_rows().size();
    const int roll = static_cast<int>(random() % 100);
    const size_t row = live == 0 ? 0 : random() % live;
    PlannedChange change{Op::Create};
    if (live > 0 && roll >= profile.mix.insert && !connection.busy(row))
      change = {roll < profile.mix.insert + profile.mix.update ? Op::Update : Op::Delete, row};
    connection.send(change, due_us);
  }
  connection.await_in_flight_at_most(0, answers);
  record(answers, connection, history, totals);
}

void run_session(const PostgresEndpoint& app, const std::string& tag, const LoadProfile& profile,
                 int session, std::chrono::system_clock::time_point start, History& history,
                 SessionTotals& totals) {
  LoadSession connection(app, tag + "-s" + std::to_string(session));
  std::mt19937 random(static_cast<unsigned>(session) * 7919u + 17u);
  const SessionSchedule schedule(profile, session, start);
  std::vector<PlannedChange> plan;
  std::vector<size_t> planned_rows;  // rows this transaction changes: each at most once
  std::vector<Answered> answered;
  for (long k = 0;; ++k) {
    const auto due = schedule.due_us(k);
    if (!due) break;
    const int64_t due_us = *due;
    // Pacing the schedule, not synchronising.
    std::this_thread::sleep_until(
        std::chrono::system_clock::time_point(std::chrono::microseconds(due_us)));
    note_start(due_us, totals);
    // Updates and deletes go to rows that were live before the transaction (an insert's id
    // is known only once the pipeline answers); a row drawn twice becomes an insert.
    plan.clear();
    planned_rows.clear();
    const size_t live = connection.live_rows().size();
    for (int c = 0; c < profile.transaction_size; ++c) {
      const int roll = static_cast<int>(random() % 100);
      const size_t row = live == 0 ? 0 : random() % live;
      const bool taken = live == 0 || std::find(planned_rows.begin(), planned_rows.end(), row) !=
                                          planned_rows.end();
      if (taken || roll < profile.mix.insert) {
        plan.push_back({Op::Create});
      } else {
        plan.push_back(
            {roll < profile.mix.insert + profile.mix.update ? Op::Update : Op::Delete, row});
        planned_rows.push_back(row);
      }
    }
    answered.push_back({connection.run(plan), due_us, now_us()});
    record(answered, connection, history, totals);
    history.note_recorded_through(session, now_us());
  }
}

}  // namespace

LoadResult run_open_loop(const PostgresEndpoint& app, const std::string& tag,
                         const LoadProfile& profile, History& history, const Progress& progress) {
  if (profile.rate <= 0 || profile.sessions <= 0 || profile.transaction_size <= 0) {
    throw HarnessError("load profile needs a positive rate, sessions and transaction size");
  }
  progress.stage("load", "offering " + std::to_string(static_cast<int>(profile.rate)) +
                             " tx/s for " + std::to_string(profile.duration.count() / 1000) +
                             " s over " + std::to_string(profile.sessions) + " sessions");
  const auto start = std::chrono::system_clock::now() + std::chrono::milliseconds(200);
  const double cpu_before = process_usage().cpu_s;
  std::vector<SessionTotals> totals(static_cast<size_t>(profile.sessions));
  std::vector<std::thread> sessions;
  history.open_sessions(profile.sessions);
  for (int s = 0; s < profile.sessions; ++s) {
    sessions.emplace_back([&, s] {
      // Done or failed, a session holds no check back.
      struct Closed {
        History& history;
        int session;
        ~Closed() { history.note_recorded_through(session, History::kEveryTransaction); }
      } closed{history, s};
      try {
        if (profile.transaction_size == 1) {
          run_pipelined_session(app, tag, profile, s, start, history,
                                totals[static_cast<size_t>(s)]);
        } else {
          run_session(app, tag, profile, s, start, history, totals[static_cast<size_t>(s)]);
        }
      } catch (const std::exception& e) {
        totals[static_cast<size_t>(s)].error = e.what();
      }
    });
  }
  for (auto& session : sessions) session.join();
  throw_if_interrupted();
  LoadResult result;
  result.offered_rate = profile.rate;
  for (const auto& t : totals) {
    if (!t.error.empty()) throw HarnessError("load session failed: " + t.error);
    result.transactions += t.transactions;
    result.changes += t.changes;
    result.late_starts += t.late;
    result.in_doubt += t.in_doubt;
    result.lost_by_database += t.lost_by_database;
    result.failed += t.failed;
    result.waits_for_database += t.waits;
    result.max_start_delay_us = std::max(result.max_start_delay_us, t.max_delay_us);
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::system_clock::now() - start).count();
  result.achieved_rate = static_cast<double>(result.transactions) / std::max(seconds, 1e-3);
  result.harness_cpu_cores = (process_usage().cpu_s - cpu_before) / std::max(seconds, 1e-3);
  progress.stage("load", std::to_string(result.transactions) +
                             " transactions committed, achieved " +
                             std::to_string(static_cast<int>(result.achieved_rate)) + " tx/s");
  return result;
}

}  // namespace cdc
