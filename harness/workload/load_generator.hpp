#pragma once
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

#include "harness/common/progress.hpp"
#include "harness/stack/endpoints.hpp"
#include "harness/workload/history.hpp"

namespace cdc {

struct ChangeMix {
  int insert = 60, update = 30, remove = 10;  // percentages
};

struct LoadProfile {
  double rate = 100;  // transactions per second offered, over all sessions
  std::chrono::milliseconds duration{10000};
  // Open loop, a transaction due before the end still runs when the schedule is late. With
  // `stop_at_end`, nothing starts after `duration` either: flat out for a fixed time, as
  // pgbench -T (bench).
  bool stop_at_end = false;
  // If set, nothing starts at or after this wall-clock time (µs) either, however late the
  // schedule runs: a load that ends when something else is done (an experiment's faults);
  // `duration` stays its ceiling.
  const std::atomic<int64_t>* ends_at_us = nullptr;
  int sessions = 2;
  int transaction_size = 1;
  ChangeMix mix{};
};

struct LoadResult {
  double offered_rate = 0;
  double achieved_rate = 0;  // committed transactions per second actually reached
  size_t transactions = 0;
  size_t changes = 0;
  size_t late_starts = 0;          // transactions that began > 10 ms after they were due
  int64_t max_start_delay_us = 0;  // the worst of those: the generator's own lag
  size_t in_doubt = 0;             // COMMITs that got no answer, each judged by Postgres afterwards
  size_t failed = 0;               // transactions cut off before COMMIT (nothing of them committed)
  size_t lost_by_database = 0;     // acknowledged commits Postgres lost in a crash
  // Times a session had as many statements unanswered as it may and had to wait: Postgres
  // did not take the load as fast as it was offered.
  size_t waits_for_database = 0;
  // The harness process's CPU seconds per second of load (all its threads: the generator's
  // sessions, and an observer running beside it): near the machine's cores, the harness
  // itself is the limit.
  double harness_cpu_cores = 0;
};

// Open loop: each session's transactions are due on a fixed schedule, whatever the
// pipeline does; a transaction that starts late still records when it was due, so latency
// measured from the intended start shows stalls that a closed loop would hide. Every change
// goes into `history`. Sessions use their own rows of customers, tagged with `tag`. Through
// a database restart or a broken connection a session reconnects and keeps its schedule.
LoadResult run_open_loop(const PostgresEndpoint& app, const std::string& tag,
                         const LoadProfile& profile, History& history, const Progress& progress);

}  // namespace cdc
