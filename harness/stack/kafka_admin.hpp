#pragma once
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace cdc {

// Kafka's admin side, through librdkafka's admin API: what a cluster holds, and removal of
// what a run created on a cluster it shares. Each call has its own deadline and throws a
// HarnessError naming the broker and Kafka's answer.
std::vector<std::string> kafka_topics(const std::string& bootstrap,
                                      std::chrono::milliseconds timeout);
std::vector<std::string> kafka_consumer_groups(const std::string& bootstrap,
                                               std::chrono::milliseconds timeout);
// Deletes the topics and waits until the controller has; a topic already gone is fine.
void delete_kafka_topics(const std::string& bootstrap, const std::vector<std::string>& topics,
                         std::chrono::milliseconds timeout);

// Creates a topic of `partitions` partitions (the broker's replication factor) and waits
// until the controller has; one already there is fine.
void create_kafka_topic(const std::string& bootstrap, const std::string& topic, int partitions,
                        std::chrono::milliseconds timeout);

// Deletes consumer groups that have no members left; a group already gone is fine.
void delete_kafka_consumer_groups(const std::string& bootstrap,
                                  const std::vector<std::string>& groups,
                                  std::chrono::milliseconds timeout);

// How many records a topic has ever held: the sum of its partitions' high watermarks (0 when
// it does not exist yet).
int64_t kafka_topic_end(const std::string& bootstrap, const std::string& topic,
                        std::chrono::milliseconds timeout);

// Who holds a partition: its leader's node id (-1 while it has none), its replicas and those
// in sync.
struct PartitionHolders {
  int32_t leader = -1;
  std::vector<int32_t> replicas{};
  std::vector<int32_t> in_sync{};
};
PartitionHolders kafka_partition_holders(const std::string& bootstrap, const std::string& topic,
                                         int32_t partition, std::chrono::milliseconds timeout);

}  // namespace cdc
