#include "harness/stack/kafka_admin.hpp"

#include <librdkafka/rdkafka.h>

#include <memory>

#include "harness/common/errors.hpp"

namespace cdc {

namespace {

using Client = std::unique_ptr<rd_kafka_t, decltype(&rd_kafka_destroy)>;
using Queue = std::unique_ptr<rd_kafka_queue_t, decltype(&rd_kafka_queue_destroy)>;
using Event = std::unique_ptr<rd_kafka_event_t, decltype(&rd_kafka_event_destroy)>;
using AdminOptions =
    std::unique_ptr<rd_kafka_AdminOptions_t, decltype(&rd_kafka_AdminOptions_destroy)>;

Client admin_client(const std::string& bootstrap) {
  char error[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  for (const auto& [name, value] :
       {std::pair<const char*, std::string>{"bootstrap.servers", bootstrap}, {"log_level", "0"}}) {
    if (rd_kafka_conf_set(conf, name, value.c_str(), error, sizeof error) != RD_KAFKA_CONF_OK) {
      rd_kafka_conf_destroy(conf);
      throw HarnessError(std::string("Kafka admin setting ") + name + " rejected: " + error);
    }
  }
  rd_kafka_t* client = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof error);
  if (client == nullptr) {
    rd_kafka_conf_destroy(conf);
    throw HarnessError("cannot create a Kafka admin client for " + bootstrap + ": " + error);
  }
  return Client(client, &rd_kafka_destroy);
}

AdminOptions options_for(rd_kafka_t* client, rd_kafka_admin_op_t op,
                         std::chrono::milliseconds timeout, bool operation_timeout) {
  AdminOptions options(rd_kafka_AdminOptions_new(client, op), &rd_kafka_AdminOptions_destroy);
  char error[512];
  rd_kafka_AdminOptions_set_request_timeout(options.get(), static_cast<int>(timeout.count()), error,
                                            sizeof error);
  if (operation_timeout) {
    rd_kafka_AdminOptions_set_operation_timeout(options.get(), static_cast<int>(timeout.count()),
                                                error, sizeof error);
  }
  return options;
}

// The admin result arrives on the queue; a little more than the request's own timeout.
Event wait_result(rd_kafka_queue_t* queue, std::chrono::milliseconds timeout,
                  const std::string& what, const std::string& bootstrap) {
  Event event(rd_kafka_queue_poll(queue, static_cast<int>(timeout.count()) + 2000),
              &rd_kafka_event_destroy);
  if (!event) {
    throw TimeoutError("Kafka at " + bootstrap + " did not answer " + what + " within " +
                       std::to_string(timeout.count() / 1000) + "s");
  }
  if (rd_kafka_event_error(event.get()) != RD_KAFKA_RESP_ERR_NO_ERROR) {
    throw HarnessError("Kafka at " + bootstrap + " refused " + what + ": " +
                       rd_kafka_event_error_string(event.get()));
  }
  return event;
}

}  // namespace

std::vector<std::string> kafka_topics(const std::string& bootstrap,
                                      std::chrono::milliseconds timeout) {
  Client client = admin_client(bootstrap);
  const rd_kafka_metadata_t* metadata = nullptr;
  const auto err =
      rd_kafka_metadata(client.get(), 1, nullptr, &metadata, static_cast<int>(timeout.count()));
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    throw HarnessError("Kafka at " + bootstrap +
                       " did not list its topics: " + rd_kafka_err2str(err));
  }
  std::vector<std::string> topics;
  for (int i = 0; i < metadata->topic_cnt; ++i) topics.emplace_back(metadata->topics[i].topic);
  rd_kafka_metadata_destroy(metadata);
  return topics;
}

std::vector<std::string> kafka_consumer_groups(const std::string& bootstrap,
                                               std::chrono::milliseconds timeout) {
  Client client = admin_client(bootstrap);
  Queue queue(rd_kafka_queue_new(client.get()), &rd_kafka_queue_destroy);
  auto options =
      options_for(client.get(), RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPS, timeout, /*op*/ false);
  rd_kafka_ListConsumerGroups(client.get(), options.get(), queue.get());
  const Event event = wait_result(queue.get(), timeout, "ListConsumerGroups", bootstrap);
  const auto* result = rd_kafka_event_ListConsumerGroups_result(event.get());
  size_t count = 0;
  const auto** groups = rd_kafka_ListConsumerGroups_result_valid(result, &count);
  std::vector<std::string> out;
  for (size_t i = 0; i < count; ++i)
    out.emplace_back(rd_kafka_ConsumerGroupListing_group_id(groups[i]));
  return out;
}

void delete_kafka_topics(const std::string& bootstrap, const std::vector<std::string>& topics,
                         std::chrono::milliseconds timeout) {
  if (topics.empty()) return;
  Client client = admin_client(bootstrap);
  Queue queue(rd_kafka_queue_new(client.get()), &rd_kafka_queue_destroy);
  std::vector<rd_kafka_DeleteTopic_t*> doomed;
  for (const auto& topic : topics) doomed.push_back(rd_kafka_DeleteTopic_new(topic.c_str()));
  auto options = options_for(client.get(), RD_KAFKA_ADMIN_OP_DELETETOPICS, timeout, true);
  rd_kafka_DeleteTopics(client.get(), doomed.data(), doomed.size(), options.get(), queue.get());
  rd_kafka_DeleteTopic_destroy_array(doomed.data(), doomed.size());
  const Event event = wait_result(queue.get(), timeout, "DeleteTopics", bootstrap);
  size_t count = 0;
  const auto** results =
      rd_kafka_DeleteTopics_result_topics(rd_kafka_event_DeleteTopics_result(event.get()), &count);
  std::string failures;
  for (size_t i = 0; i < count; ++i) {
    const auto err = rd_kafka_topic_result_error(results[i]);
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR || err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART)
      continue;
    const char* message = rd_kafka_topic_result_error_string(results[i]);
    failures += std::string(failures.empty() ? "" : "; ") + rd_kafka_topic_result_name(results[i]) +
                ": " + (message ? message : rd_kafka_err2str(err));
  }
  if (!failures.empty())
    throw HarnessError("Kafka at " + bootstrap + " did not delete topics: " + failures);
}

void create_kafka_topic(const std::string& bootstrap, const std::string& topic, int partitions,
                        std::chrono::milliseconds timeout) {
  Client client = admin_client(bootstrap);
  Queue queue(rd_kafka_queue_new(client.get()), &rd_kafka_queue_destroy);
  char error[256] = "";
  // -1: the broker's default replication factor.
  rd_kafka_NewTopic_t* fresh =
      rd_kafka_NewTopic_new(topic.c_str(), partitions, -1, error, sizeof error);
  if (fresh == nullptr) throw HarnessError("cannot ask for topic " + topic + ": " + error);
  auto options = options_for(client.get(), RD_KAFKA_ADMIN_OP_CREATETOPICS, timeout, true);
  rd_kafka_CreateTopics(client.get(), &fresh, 1, options.get(), queue.get());
  rd_kafka_NewTopic_destroy(fresh);
  const Event event = wait_result(queue.get(), timeout, "CreateTopics", bootstrap);
  size_t count = 0;
  const auto** results =
      rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(event.get()), &count);
  for (size_t i = 0; i < count; ++i) {
    const auto err = rd_kafka_topic_result_error(results[i]);
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR || err == RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS)
      continue;
    const char* message = rd_kafka_topic_result_error_string(results[i]);
    throw HarnessError("Kafka at " + bootstrap + " did not create topic " + topic + ": " +
                       (message ? message : rd_kafka_err2str(err)));
  }
}

void delete_kafka_consumer_groups(const std::string& bootstrap,
                                  const std::vector<std::string>& groups,
                                  std::chrono::milliseconds timeout) {
  if (groups.empty()) return;
  Client client = admin_client(bootstrap);
  Queue queue(rd_kafka_queue_new(client.get()), &rd_kafka_queue_destroy);
  std::vector<rd_kafka_DeleteGroup_t*> doomed;
  for (const auto& group : groups) doomed.push_back(rd_kafka_DeleteGroup_new(group.c_str()));
  auto options = options_for(client.get(), RD_KAFKA_ADMIN_OP_DELETEGROUPS, timeout, false);
  rd_kafka_DeleteGroups(client.get(), doomed.data(), doomed.size(), options.get(), queue.get());
  rd_kafka_DeleteGroup_destroy_array(doomed.data(), doomed.size());
  const Event event = wait_result(queue.get(), timeout, "DeleteGroups", bootstrap);
  size_t count = 0;
  const auto** results =
      rd_kafka_DeleteGroups_result_groups(rd_kafka_event_DeleteGroups_result(event.get()), &count);
  std::string failures;
  for (size_t i = 0; i < count; ++i) {
    const rd_kafka_error_t* error = rd_kafka_group_result_error(results[i]);
    if (error == nullptr || rd_kafka_error_code(error) == RD_KAFKA_RESP_ERR_GROUP_ID_NOT_FOUND)
      continue;
    failures += std::string(failures.empty() ? "" : "; ") + rd_kafka_group_result_name(results[i]) +
                ": " + rd_kafka_error_string(error);
  }
  if (!failures.empty())
    throw HarnessError("Kafka at " + bootstrap + " did not delete consumer groups: " + failures);
}

int64_t kafka_topic_end(const std::string& bootstrap, const std::string& topic,
                        std::chrono::milliseconds timeout) {
  const Client client = admin_client(bootstrap);
  const int ms = static_cast<int>(timeout.count());
  rd_kafka_topic_t* handle = rd_kafka_topic_new(client.get(), topic.c_str(), nullptr);
  const rd_kafka_metadata_t* metadata = nullptr;
  const auto err = rd_kafka_metadata(client.get(), 0, handle, &metadata, ms);
  rd_kafka_topic_destroy(handle);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
    throw HarnessError("Kafka at " + bootstrap + " gave no metadata for " + topic + ": " +
                       rd_kafka_err2str(err));
  int64_t end = 0;
  for (int t = 0; t < metadata->topic_cnt; ++t) {
    for (int p = 0; p < metadata->topics[t].partition_cnt; ++p) {
      int64_t low = 0, high = 0;
      const auto werr = rd_kafka_query_watermark_offsets(
          client.get(), topic.c_str(), metadata->topics[t].partitions[p].id, &low, &high, ms);
      if (werr == RD_KAFKA_RESP_ERR_NO_ERROR) end += high;
    }
  }
  rd_kafka_metadata_destroy(metadata);
  return end;
}

PartitionHolders kafka_partition_holders(const std::string& bootstrap, const std::string& topic,
                                         int32_t partition, std::chrono::milliseconds timeout) {
  const Client client = admin_client(bootstrap);
  rd_kafka_topic_t* handle = rd_kafka_topic_new(client.get(), topic.c_str(), nullptr);
  const rd_kafka_metadata_t* metadata = nullptr;
  const auto err =
      rd_kafka_metadata(client.get(), 0, handle, &metadata, static_cast<int>(timeout.count()));
  rd_kafka_topic_destroy(handle);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
    throw HarnessError("Kafka at " + bootstrap + " gave no metadata for " + topic + ": " +
                       rd_kafka_err2str(err));
  PartitionHolders holders;
  bool found = false;
  for (int t = 0; t < metadata->topic_cnt; ++t) {
    for (int p = 0; p < metadata->topics[t].partition_cnt; ++p) {
      const rd_kafka_metadata_partition_t& at = metadata->topics[t].partitions[p];
      if (at.id != partition) continue;
      found = true;
      holders.leader = at.leader;
      holders.replicas.assign(at.replicas, at.replicas + at.replica_cnt);
      holders.in_sync.assign(at.isrs, at.isrs + at.isr_cnt);
    }
  }
  rd_kafka_metadata_destroy(metadata);
  if (!found)
    throw HarnessError("Kafka at " + bootstrap + " knows no partition " +
                       std::to_string(partition) + " of " + topic);
  return holders;
}

}  // namespace cdc
