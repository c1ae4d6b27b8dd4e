#include "harness/workload/load_generator.hpp"

#include <poll.h>

#include <algorithm>
#include <atomic>
#include <barrier>
#include <memory>
#include <optional>
#include <random>
#include <thread>

#include "harness/common/clock.hpp"
#include "harness/common/errors.hpp"
#include "harness/common/interrupt.hpp"
#include "harness/common/process_usage.hpp"
#include "harness/common/timeouts.hpp"
#include "harness/workload/load_session.hpp"

namespace cdc {
using namespace std::chrono_literals;

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

// One session of single-statement transactions, each sent when due without waiting for the
// answers of those before it: the session never holds the schedule back, so a slow pipeline
// shows as latency, not as fewer transactions (and the client's round trips cost no
// throughput).
struct PipelinedSession {
  static constexpr size_t kMaxInFlight = 256;  // past this, it waits: it shows as late starts

  // Connects; nothing is due until start_at().
  PipelinedSession(const PostgresEndpoint& app, const std::string& tag,
                   const LoadProfile& load_profile, int index, SessionTotals& its_totals)
      : session(index),
        connection(app, tag + "-s" + std::to_string(index)),
        profile(load_profile),
        random(static_cast<unsigned>(index) * 7919u + 17u),
        totals(its_totals) {}

  void start_at(std::chrono::system_clock::time_point start) {
    schedule.emplace(profile, session, start);
    next_due = schedule->due_us(0);
    progress_us = now_us();
  }
  bool done() const { return !next_due && connection.in_flight() == 0; }

  // Takes what has been answered, then sends what is due by `now`, unless as many statements
  // as it may are unanswered: then it waits until a quarter of them are (answers are then
  // read, and statements sent, many at a time rather than one per wake-up).
  void serve(History& history, int64_t now) {
    const size_t before = connection.in_flight();
    connection.take_answers(answers);
    if (connection.in_flight() != before) progress_us = now;
    if (held && connection.in_flight() <= kMaxInFlight * 3 / 4) held = false;
    while (!held && next_due && *next_due <= now) {
      if (connection.in_flight() >= kMaxInFlight) {
        ++totals.waits;
        held = true;
        break;
      }
      note_start(*next_due, totals);
      send_one();
      progress_us = now;
      next_due = schedule->due_us(++k);
    }
    record(answers, connection, history, totals);
    history.note_recorded_through(session, connection.oldest_due_in_flight().value_or(now));
    const auto timeout = scaled(120s);
    if (connection.in_flight() > 0 && now - progress_us > timeout.count() * 1000) {
      throw TimeoutError("timed out after " + std::to_string(timeout.count() / 1000) +
                         "s waiting for Postgres to answer session " + std::to_string(session) +
                         "'s statements; last seen: " + std::to_string(connection.in_flight()) +
                         " unanswered");
    }
  }
  // When it next has something to send (nullopt: only answers to wait for).
  std::optional<int64_t> wakes_at() const { return held ? std::nullopt : next_due; }

  int session;
  LoadSession connection;

 private:
  void send_one() {
    const size_t live = connection.live_rows().size();
    const int roll = static_cast<int>(random() % 100);
    const size_t row = live == 0 ? 0 : random() % live;
    PlannedChange change{Op::Create};
    if (live > 0 && roll >= profile.mix.insert && !connection.busy(row))
      change = {roll < profile.mix.insert + profile.mix.update ? Op::Update : Op::Delete, row};
    connection.send(change, *next_due);
  }

  const LoadProfile& profile;
  std::mt19937 random;
  std::optional<SessionSchedule> schedule;
  SessionTotals& totals;
  std::vector<Answered> answers;
  std::optional<int64_t> next_due;
  long k = 0;
  bool held = false;        // at kMaxInFlight: sends nothing until a quarter is answered
  int64_t progress_us = 0;  // when it last sent or was answered
};

// Several pipelined sessions on one thread, as pgbench -j runs its clients: the thread wakes
// when one is due or answered and serves every session, rather than each session's thread
// waking twice per transaction (a thread per session spent most of its CPU switching).
void run_pipelined_sessions(std::vector<std::unique_ptr<PipelinedSession>>& sessions,
                            History& history) {
  std::vector<pollfd> sockets;
  for (;;) {
    int64_t wake_us = now_us() + 100'000;  // at least every 100 ms: deadlines
    bool left = false;
    for (auto& s : sessions) {
      if (s->done()) continue;
      s->serve(history, now_us());
      if (const auto due = s->wakes_at()) wake_us = std::min(wake_us, *due);
      left = left || !s->done();
    }
    if (!left) return;
    sockets.clear();
    for (auto& s : sessions)
      if (s->connection.in_flight() > 0) sockets.push_back({s->connection.socket(), POLLIN, 0});
    // Pacing the schedule, and waiting for answers: not synchronising.
    const int64_t wait_us = std::max<int64_t>(wake_us - now_us(), 0);
    const timespec wait{static_cast<time_t>(wait_us / 1'000'000),
                        static_cast<long>(wait_us % 1'000'000) * 1000};
    ::ppoll(sockets.data(), sockets.size(), &wait, nullptr);
  }
}

void run_session(LoadSession& connection, const LoadProfile& profile, int session,
                 std::chrono::system_clock::time_point start, History& history,
                 SessionTotals& totals) {
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
  const double cpu_before = process_usage().cpu_s;
  std::vector<SessionTotals> totals(static_cast<size_t>(profile.sessions));
  history.open_sessions(profile.sessions);
  // Pipelined sessions share a thread per core; a session of multi-statement transactions
  // waits for each answer, on a thread of its own.
  const int threads =
      profile.transaction_size == 1
          ? std::clamp(static_cast<int>(std::thread::hardware_concurrency()), 1, profile.sessions)
          : profile.sessions;
  // Every session connects first; the schedule starts once all have.
  auto start = std::chrono::system_clock::now();
  std::barrier connected(threads, [&]() noexcept {
    start = std::chrono::system_clock::now() + std::chrono::milliseconds(20);
  });
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      std::vector<int> mine;
      for (int s = t; s < profile.sessions; s += threads) mine.push_back(s);
      // Done or failed, a session holds no check back.
      struct Closed {
        History& history;
        const std::vector<int>& sessions;
        ~Closed() {
          for (const int s : sessions) history.note_recorded_through(s, History::kEveryTransaction);
        }
      } closed{history, mine};
      bool arrived = false;
      try {
        if (profile.transaction_size == 1) {
          std::vector<std::unique_ptr<PipelinedSession>> sessions;
          for (const int s : mine)
            sessions.push_back(std::make_unique<PipelinedSession>(app, tag, profile, s,
                                                                  totals[static_cast<size_t>(s)]));
          arrived = true;
          connected.arrive_and_wait();
          for (auto& s : sessions) s->start_at(start);
          run_pipelined_sessions(sessions, history);
        } else {
          LoadSession connection(app, tag + "-s" + std::to_string(t));
          arrived = true;
          connected.arrive_and_wait();
          run_session(connection, profile, t, start, history, totals[static_cast<size_t>(t)]);
        }
      } catch (const std::exception& e) {
        totals[static_cast<size_t>(mine.front())].error = e.what();
        if (!arrived) connected.arrive_and_drop();
      }
    });
  }
  for (auto& worker : workers) worker.join();
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
