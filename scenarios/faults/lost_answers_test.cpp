// The generator's pipelined sessions under a database crash: single-statement transactions
// are sent without waiting for earlier answers, so when Postgres dies, many are in flight
// and their answers are lost. Each must be judged by what Postgres holds afterwards:
// committed ones must arrive, the others must not, and nothing may be lost.
#include <gtest/gtest.h>

#include <iostream>

#include "harness/stack/backend.hpp"
#include "scenarios/anomaly_printing.hpp"
#include "scenarios/faults/fault_run.hpp"

namespace cdc::scenarios {
namespace {

TEST(PipelinedLoad, AnswersLostInADatabaseCrashAreJudgedByTheRowsPostgresHolds) {
  // Postgres is paused while statements pile up unanswered, then killed in that state: every
  // statement in flight loses its answer.
  const auto stalled_then_crashed = [](const FaultTarget& target) {
    StackBackend& stack = target.stack;
    return Fault{
        "postgres-stalled-then-crashed",
        "SIGSTOP to every Postgres process; the heal is SIGKILL, then a start", FaultKind::Crash,
        [&stack] { stack.act_on(Component::Postgres, ComponentAction::Pause, Progress(true)); },
        [&stack] {
          stack.act_on(Component::Postgres, ComponentAction::Kill, Progress(true));
          stack.act_on(Component::Postgres, ComponentAction::Start, Progress(true));
        }};
  };
  const FaultRun run = run_fault_under_load(
      stalled_then_crashed, restart_soon_after_retriable_errors, LoadShape{200, 4, 1});
  std::cout << "[ fault ] " << run.summary() << "\n";
  EXPECT_GT(run.load.in_doubt, 0u) << "no statement was in flight when Postgres was killed";
  EXPECT_EQ(run.verdict.count(AnomalyKind::Lost), 0u) << run.verdict.summary();
  EXPECT_EQ(run.verdict.count(AnomalyKind::Phantom), 0u) << run.verdict.summary();
  EXPECT_TRUE(run.verdict.ok()) << run.verdict.summary();
  EXPECT_GT(run.load.transactions, 500u) << "the load hardly ran";
}

}  // namespace
}  // namespace cdc::scenarios
