#pragma once
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "harness/observer/change_event.hpp"

namespace RdKafka {
class KafkaConsumer;
}

namespace cdc {

enum class StartAt { Earliest, Latest };

// One Kafka record as it was on the topic: key and value bytes (no value: a tombstone).
struct RawRecord {
  std::string key{};
  std::optional<std::string> value{};
  KafkaPosition position{};
};

// Reads one topic with librdkafka, record by record. Each reader is its own consumer group,
// so readers never share work; offsets are never committed.
class TopicReader {
 public:
  TopicReader(const std::string& bootstrap, const std::string& topic,
              StartAt start = StartAt::Earliest);
  ~TopicReader();
  TopicReader(const TopicReader&) = delete;
  TopicReader& operator=(const TopicReader&) = delete;

  // The next record, or nullopt when none arrived within `timeout`.
  std::optional<RawRecord> poll(std::chrono::milliseconds timeout);

  const std::string& topic() const { return topic_; }
  // The last transient trouble (broker unreachable, topic not there yet), or "" once a
  // record arrives: librdkafka retries by itself, a person watching wants to know why.
  const std::string& last_trouble() const { return last_trouble_; }

 private:
  class TroubleRecorder;

  std::string topic_;
  std::string last_trouble_;
  std::unique_ptr<TroubleRecorder> trouble_recorder_;  // must outlive consumer_
  std::unique_ptr<RdKafka::KafkaConsumer> consumer_;
};

}  // namespace cdc
