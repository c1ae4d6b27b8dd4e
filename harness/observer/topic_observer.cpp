#include "harness/observer/topic_observer.hpp"

#include "harness/common/errors.hpp"
#include "harness/common/interrupt.hpp"
#include "harness/observer/envelope_decoder.hpp"

namespace cdc {

std::optional<ChangeEvent> TopicObserver::poll(std::chrono::milliseconds timeout) {
  auto record = reader_.poll(timeout);
  if (!record) return std::nullopt;
  std::optional<std::string_view> value;
  if (record->value) value = *record->value;
  events_.push_back(decode_change_event(record->key, value, record->position));
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
    poll(std::chrono::milliseconds(100));
  }
  return events_;
}

}  // namespace cdc
