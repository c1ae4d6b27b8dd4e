#pragma once
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "harness/observer/change_event.hpp"

namespace RdKafka {
class KafkaConsumer;
class Message;
}  // namespace RdKafka

namespace cdc {

class AvroRecords;

enum class StartAt { Earliest, Latest };

// One Kafka record as it was on the topic: key and value bytes (no value: a tombstone).
struct RawRecord {
  std::string key{};
  std::optional<std::string> value{};
  KafkaPosition position{};
  std::vector<std::pair<std::string, std::string>> headers{};  // name, value (in order)
};

// A record seen in place, in librdkafka's buffer: valid only during the call it is handed to.
// An Avro key or value (Confluent wire format) is seen as the JSON JsonConverter would have
// written (avro_records.hpp), its writer schema fetched from the stack's registry.
struct RecordView {
  std::string_view key{};
  std::optional<std::string_view> value{};
  const KafkaPosition& position;
  size_t wire_bytes = 0;  // key and value as they were in Kafka (Avro: before decoding)
};

// Reads one topic with librdkafka, record by record. Readers never share work: each reads
// every partition (assigned directly, or through a consumer group of its own when the topic
// does not exist yet); offsets are never committed.
class TopicReader {
 public:
  TopicReader(const std::string& bootstrap, const std::string& topic,
              StartAt start = StartAt::Earliest);
  ~TopicReader();
  TopicReader(const TopicReader&) = delete;
  TopicReader& operator=(const TopicReader&) = delete;

  // The next record, or nullopt when none arrived within `timeout`.
  std::optional<RawRecord> poll(std::chrono::milliseconds timeout);
  // The same without copying it: `use` sees the record in place. False when none arrived.
  template <typename Use>
  bool poll_view(std::chrono::milliseconds timeout, Use&& use) {
    const RdKafka::Message* message = next(timeout);
    if (message == nullptr) return false;
    use(view_of(*message));
    return true;
  }

  const std::string& topic() const { return topic_; }
  // The last transient trouble (broker unreachable, topic not there yet), or "" once a
  // record arrives: librdkafka retries by itself, a person watching wants to know why.
  const std::string& last_trouble() const { return last_trouble_; }

 private:
  class TroubleRecorder;
  // The next record (owned until the next call), or null: none in time, or trouble noted.
  const RdKafka::Message* next(std::chrono::milliseconds timeout);
  RecordView view_of(const RdKafka::Message& message);
  std::vector<int32_t> existing_partitions();  // none when the topic is not there (yet)

  std::string topic_;
  std::string last_trouble_;
  std::unique_ptr<TroubleRecorder> trouble_recorder_;  // must outlive consumer_
  std::unique_ptr<RdKafka::KafkaConsumer> consumer_;
  std::unique_ptr<RdKafka::Message> message_;  // the last record handed out
  KafkaPosition position_{};                   // its position (the topic's name kept)
  std::unique_ptr<AvroRecords> avro_;          // made at the first Avro record
  std::string key_json_, value_json_;          // the last Avro record, as JSON
};

}  // namespace cdc
