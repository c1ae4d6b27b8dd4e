#include "harness/observer/topic_observer.hpp"

#include "harness/common/errors.hpp"
#include "harness/common/interrupt.hpp"
#include "harness/observer/envelope_decoder.hpp"

namespace cdc {

bool TopicObserver::receive(std::chrono::milliseconds timeout, size_t at_most) {
  const auto keep = [&](const RecordView& record) {
    bytes_ += record.wire_bytes;
    events_.push_back(decode_change_event(record.key, record.value, record.position));
  };
  if (!reader_.poll_view(timeout, keep)) return false;
  // A backlog is taken many at a time: one wake-up, and one hand-over, per batch.
  for (size_t n = 1; n < at_most && reader_.poll_view(std::chrono::milliseconds(0), keep); ++n) {
  }
  return true;
}

std::optional<ChangeEvent> TopicObserver::poll(std::chrono::milliseconds timeout) {
  if (!receive(timeout, 1)) return std::nullopt;
  return events_.back();
}

const std::vector<ChangeEvent>& TopicObserver::collect_until(
    const std::string& what, std::chrono::milliseconds timeout,
    const std::function<bool(const std::vector<ChangeEvent>&)>& done) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done(events_)) {
    throw_if_interrupted();
    if (std::chrono::steady_clock::now() >= deadline) {
      std::string last = events_.empty() ? "no events at all" : "";
      const size_t from = events_.size() > 8 ? events_.size() - 8 : 0;
      for (size_t i = from; i < events_.size(); ++i)
        last += (i > from ? "; " : "") + brief(events_[i]);
      if (!reader_.last_trouble().empty()) last += " (kafka: " + reader_.last_trouble() + ")";
      throw TimeoutError("timed out after " + std::to_string(timeout.count() / 1000) +
                         "s waiting for " + what + " on topic " + topic() + " (" +
                         std::to_string(events_.size()) + " events read); last seen: " + last);
    }
    receive(std::chrono::milliseconds(100));
  }
  return events_;
}

}  // namespace cdc
