#pragma once
#include <chrono>
#include <functional>
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

// Reads a Debezium change topic with librdkafka and hands out decoded change events in
// topic order. Each observer is its own consumer group, so observers never share work.
class TopicObserver {
 public:
  TopicObserver(const std::string& bootstrap, const std::string& topic,
                StartAt start = StartAt::Earliest);
  ~TopicObserver();
  TopicObserver(const TopicObserver&) = delete;
  TopicObserver& operator=(const TopicObserver&) = delete;

  // The next event, or nullopt when none arrived within `timeout`. A record that does not
  // decode throws DecodeError.
  std::optional<ChangeEvent> poll(std::chrono::milliseconds timeout);

  // Everything read so far plus whatever arrives until `done(events)` holds. Past the
  // deadline: TimeoutError naming `what` and the last events seen.
  const std::vector<ChangeEvent>& collect_until(
      const std::string& what, std::chrono::milliseconds timeout,
      const std::function<bool(const std::vector<ChangeEvent>&)>& done);

  const std::vector<ChangeEvent>& events() const { return events_; }
  // The last transient trouble (broker unreachable, topic not there yet), or "" once a
  // record arrives: librdkafka retries by itself, a person watching wants to know why.
  const std::string& last_trouble() const { return last_trouble_; }
  const std::string& topic() const { return topic_; }

 private:
  class TroubleRecorder;

  std::string topic_;
  std::unique_ptr<TroubleRecorder> trouble_recorder_;  // must outlive consumer_
  std::unique_ptr<RdKafka::KafkaConsumer> consumer_;
  std::vector<ChangeEvent> events_;
  std::string last_trouble_;
};

}  // namespace cdc
