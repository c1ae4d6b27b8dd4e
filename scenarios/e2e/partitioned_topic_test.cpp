// A change topic of 3 partitions (the connector's topic.creation settings): Debezium keys each
// row to one partition, so per-key order holds within it, while a transaction's statements on
// different keys may arrive in any order across partitions. The checkers judge order within
// each partition, and a key seen in two partitions is an anomaly of its own.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "harness/checkers/change_checks.hpp"
#include "harness/common/progress.hpp"
#include "harness/common/timeouts.hpp"
#include "harness/stack/kafka_admin.hpp"
#include "harness/workload/load_generator.hpp"
#include "scenarios/anomaly_printing.hpp"
#include "scenarios/e2e/pipeline.hpp"

namespace cdc::scenarios {
namespace {
using namespace std::chrono_literals;

constexpr int kPartitions = 3;

TEST(PartitionedTopic, OrderIsJudgedWithinEachPartitionAndAKeyStaysInOne) {
  const auto& pipeline = Pipeline::shared();
  const std::string tag = unique_tag("partitioned");
  ScopedConnector connector(pipeline, tag, [](nlohmann::json& c) {
    c["topic.creation.default.partitions"] = kPartitions;
    c["topic.creation.default.replication.factor"] = -1;  // the brokers' default
  });
  CustomersWorkload fences(pipeline.endpoints.app, tag + "-fence");
  TopicObserver observer(pipeline.endpoints.kafka_bootstrap, connector.config().change_topic());
  FencedReader reader(
      observer, [&] { return fence_row(fences.fence(), "email"); }, kPartitions);
  reader.next();  // the snapshot
  for (int32_t p = 0; p < kPartitions; ++p) {
    EXPECT_GE(kafka_partition_holders(pipeline.endpoints.kafka_bootstrap,
                                      connector.config().change_topic(), p, scaled(10s))
                  .leader,
              0)
        << "partition " << p << " of " << connector.config().change_topic();
  }

  History history;
  LoadProfile load;
  load.rate = 100;
  load.duration = 3s;
  load.sessions = 3;
  load.transaction_size = 3;  // statements on several keys: several partitions
  run_open_loop(pipeline.endpoints.app, tag, load, history, Progress(true));
  const auto events = reader.next_settled();
  const MatchRules rules = customers_rules(pipeline, connector.config(), Delivery::ExactlyOnce);

  std::map<std::string, std::set<int32_t>> partitions_of_key;
  for (const auto& e : events) partitions_of_key[e.key.dump()].insert(e.kafka.partition);
  std::set<int32_t> used;
  for (const auto& [key, partitions] : partitions_of_key) {
    EXPECT_EQ(partitions.size(), 1u) << "key " << key << " came in several partitions";
    used.insert(partitions.begin(), partitions.end());
  }
  EXPECT_EQ(used.size(), static_cast<size_t>(kPartitions)) << "the keys spread over every one";
  const Verdict verdict = check_history(history.entries(), events, rules);
  EXPECT_TRUE(verdict.ok()) << verdict.summary();
  EXPECT_EQ(verdict.count(AnomalyKind::Duplicate), 0u) << verdict.summary();

  // Proof on the same real run: one event of the load delivered again in another partition is
  // flagged. (Not a fence's or a tombstone's: the history has no change behind those.)
  const auto entries = history.entries();
  std::set<std::string> loaded_keys;
  for (const auto& h : entries) loaded_keys.insert(h.change.key.dump());
  std::vector<ChangeEvent> of_load;
  for (const auto& e : events) {
    if (e.op != Op::Tombstone && loaded_keys.count(e.key.dump())) of_load.push_back(e);
  }
  ASSERT_FALSE(of_load.empty()) << "no event of the load arrived";
  auto planted = events;
  ChangeEvent copy = of_load[of_load.size() / 2];
  copy.kafka.partition = (copy.kafka.partition + 1) % kPartitions;
  planted.push_back(copy);
  const Verdict split = check_history(
      entries, planted, customers_rules(pipeline, connector.config(), Delivery::AtLeastOnce));
  EXPECT_EQ(split.count(AnomalyKind::Partition), 1u) << split.summary();
  EXPECT_FALSE(split.ok());
}

}  // namespace
}  // namespace cdc::scenarios
