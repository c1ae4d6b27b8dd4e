#pragma once
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "harness/observer/change_event.hpp"

namespace cdc {

// What a topic got since a moment.
struct TopicSighting {
  std::string topic{};
  int64_t records = 0;                       // since the moment, up to its end when read
  std::optional<KafkaPosition> marker_at{};  // the first record whose key or value holds it
};

// Reads each of `topics` from `since_ms` (record timestamps) to its end as it is now, counting
// records and looking for `marker`'s bytes in keys and values: found in JSON, in a string
// converter's text and in Avro alike. For a failure's diagnosis, not for reading changes.
std::vector<TopicSighting> search_topics(const std::string& bootstrap,
                                         const std::vector<std::string>& topics, int64_t since_ms,
                                         const std::string& marker,
                                         std::chrono::milliseconds timeout);

}  // namespace cdc
