// The history checker on a real open-loop load through the shared connector: the whole
// stream judged against everything the load committed, Jepsen-style.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/checkers/change_checks.hpp"
#include "harness/common/progress.hpp"
#include "harness/workload/load_generator.hpp"
#include "scenarios/anomaly_printing.hpp"
#include "scenarios/e2e/pipeline.hpp"

namespace cdc::scenarios {
namespace {
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::Field;

MatchRules rules() {
  const auto& pipeline = Pipeline::shared();
  return customers_rules(pipeline, pipeline.connector, Delivery::ExactlyOnce);
}

struct LoadRun {
  std::vector<HistoryEntry> history;
  std::vector<ChangeEvent> events;
};

LoadRun run_load(const std::string& name) {
  const auto& pipeline = Pipeline::shared();
  CustomersScene fenced(pipeline, pipeline.connector, name + "-fence");
  History history;
  LoadProfile load;
  load.rate = 100;
  load.duration = std::chrono::seconds(2);
  load.sessions = 3;
  load.transaction_size = 2;
  run_open_loop(pipeline.endpoints.app, unique_tag(name), load, history, Progress(true));
  return LoadRun{history.entries(), fenced.reader.next_settled()};
}

TEST(History, AnOpenLoopLoadThroughTheSharedConnectorHasNoAnomaly) {
  const LoadRun run = run_load("history");
  const auto verdict = check_history(run.history, run.events, rules());
  EXPECT_TRUE(verdict.ok()) << verdict.summary();
  EXPECT_EQ(verdict.count(AnomalyKind::Duplicate), 0u) << "no fault, no re-delivery";
}

// Proof on the same real run: dropping the event of the last committed change is reported
// as exactly that change lost.
TEST(History, AnEventDroppedFromARealRunIsReportedLost) {
  LoadRun run = run_load("history-drop");
  const Mutation& last = run.history.back().change;
  const auto removed = std::erase_if(run.events, [&](const ChangeEvent& e) {
    return e.op == last.op && e.key == last.key && e.source.tx_id == last.tx_id;
  });
  ASSERT_EQ(removed, 1u) << "the last change's event was not observed";
  const auto verdict = check_history(run.history, run.events, rules());
  EXPECT_EQ(verdict.count(AnomalyKind::Lost), 1u) << verdict.summary();
  EXPECT_THAT(
      verdict.anomalies,
      Contains(AllOf(Field(&Anomaly::kind, AnomalyKind::Lost), Field(&Anomaly::key, last.key),
                     Field(&Anomaly::op, std::optional<Op>(last.op)),
                     Field(&Anomaly::tx_id, std::optional<int64_t>(last.tx_id)))))
      << verdict.summary();
}

}  // namespace
}  // namespace cdc::scenarios
