#include "harness/observer/topic_search.hpp"

#include <librdkafka/rdkafkacpp.h>

#include <map>
#include <memory>
#include <string_view>

#include "harness/common/errors.hpp"

namespace cdc {

namespace {

std::unique_ptr<RdKafka::KafkaConsumer> searching_consumer(const std::string& bootstrap) {
  std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  std::string error;
  for (const auto& [name, value] : std::map<std::string, std::string>{
           {"bootstrap.servers", bootstrap},
           {"group.id", "cdc-harness-search"},  // never joined: partitions are assigned
           {"enable.auto.commit", "false"},
           {"enable.partition.eof", "true"},
           {"log_level", "0"}}) {
    if (conf->set(name, value, error) != RdKafka::Conf::CONF_OK)
      throw HarnessError("Kafka consumer setting " + name + " rejected: " + error);
  }
  std::unique_ptr<RdKafka::KafkaConsumer> consumer(
      RdKafka::KafkaConsumer::create(conf.get(), error));
  if (!consumer)
    throw HarnessError("cannot create a Kafka consumer for " + bootstrap + ": " + error);
  return consumer;
}

bool holds(const void* data, size_t size, std::string_view marker) {
  if (data == nullptr || marker.empty()) return false;
  return std::string_view(static_cast<const char*>(data), size).find(marker) !=
         std::string_view::npos;
}

}  // namespace

std::vector<TopicSighting> search_topics(const std::string& bootstrap,
                                         const std::vector<std::string>& topics, int64_t since_ms,
                                         const std::string& marker,
                                         std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  const int timeout_ms = static_cast<int>(timeout.count());
  auto consumer = searching_consumer(bootstrap);
  RdKafka::Metadata* metadata = nullptr;
  if (consumer->metadata(true, nullptr, &metadata, timeout_ms) != RdKafka::ERR_NO_ERROR) return {};
  std::unique_ptr<RdKafka::Metadata> owned(metadata);

  std::vector<TopicSighting> sightings;
  std::map<std::pair<std::string, int32_t>, int64_t> ends;  // partition -> its end now
  std::vector<RdKafka::TopicPartition*> from;
  for (const auto& topic : topics) {
    sightings.push_back({topic});
    for (const auto* t : *owned->topics()) {
      if (t->topic() != topic || t->err() != RdKafka::ERR_NO_ERROR) continue;
      for (const auto* p : *t->partitions()) {
        int64_t low = 0, high = 0;
        if (consumer->query_watermark_offsets(topic, p->id(), &low, &high, timeout_ms) !=
                RdKafka::ERR_NO_ERROR ||
            high == low)
          continue;
        from.push_back(RdKafka::TopicPartition::create(topic, p->id(), since_ms));
        ends[{topic, p->id()}] = high;
      }
    }
  }
  // The first offset at or after `since_ms` in each partition (none: the end).
  if (!from.empty() && consumer->offsetsForTimes(from, timeout_ms) == RdKafka::ERR_NO_ERROR) {
    std::vector<RdKafka::TopicPartition*> reading;
    for (auto* tp : from) {
      const int64_t end = ends[{tp->topic(), tp->partition()}];
      if (tp->offset() < 0 || tp->offset() >= end) {
        ends.erase({tp->topic(), tp->partition()});
        continue;
      }
      for (auto& s : sightings)
        if (s.topic == tp->topic()) s.records += end - tp->offset();
      reading.push_back(tp);
    }
    if (!reading.empty() && consumer->assign(reading) == RdKafka::ERR_NO_ERROR) {
      while (!ends.empty() && std::chrono::steady_clock::now() < deadline) {
        std::unique_ptr<RdKafka::Message> m(consumer->consume(100));
        if (m->err() == RdKafka::ERR__PARTITION_EOF) {
          ends.erase({m->topic_name(), m->partition()});
          continue;
        }
        if (m->err() != RdKafka::ERR_NO_ERROR) continue;
        const auto at = ends.find({m->topic_name(), m->partition()});
        if (at == ends.end()) continue;
        if (m->offset() + 1 >= at->second) ends.erase(at);
        for (auto& s : sightings) {
          if (s.topic != m->topic_name() || s.marker_at) continue;
          if (holds(m->payload(), m->len(), marker) ||
              (m->key_pointer() && holds(m->key_pointer(), m->key_len(), marker))) {
            s.marker_at = KafkaPosition{m->topic_name(), m->partition(), m->offset(),
                                        m->timestamp().timestamp, 0};
          }
        }
      }
    }
  }
  RdKafka::TopicPartition::destroy(from);
  consumer->close();
  return sightings;
}

}  // namespace cdc
