#pragma once
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "harness/observer/change_event.hpp"
#include "harness/observer/event_stream.hpp"
#include "harness/observer/topic_reader.hpp"

namespace cdc {

// Reads a Debezium change topic and hands out decoded change events in topic order,
// keeping every event it has read.
class TopicObserver final : public EventStream {
 public:
  TopicObserver(const std::string& bootstrap, const std::string& topic,
                StartAt start = StartAt::Earliest)
      : reader_(bootstrap, topic, start) {}

  // The next event, or nullopt when none arrived within `timeout`. A record that does not
  // decode throws DecodeError.
  std::optional<ChangeEvent> poll(std::chrono::milliseconds timeout);
  // The same, keeping the events without handing out copies: waits up to `timeout` for one,
  // then takes up to `at_most` in all of those already there. False when none arrived.
  bool receive(std::chrono::milliseconds timeout, size_t at_most = kBatch);
  static constexpr size_t kBatch = 1000;

  const std::vector<ChangeEvent>& collect_until(
      const std::string& what, std::chrono::milliseconds timeout,
      const std::function<bool(const std::vector<ChangeEvent>&)>& done) override;

  const std::vector<ChangeEvent>& events() const { return events_; }
  // Hands the events read so far over (the observer keeps none of them).
  std::vector<ChangeEvent> take_events() { return std::exchange(events_, {}); }
  const std::string& topic() const { return reader_.topic(); }
  uint64_t bytes_read() const { return bytes_; }  // keys and values, as they were in Kafka
  const std::string& last_trouble() const { return reader_.last_trouble(); }

 private:
  TopicReader reader_;
  std::vector<ChangeEvent> events_;
  uint64_t bytes_ = 0;
};

}  // namespace cdc
