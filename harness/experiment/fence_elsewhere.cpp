#include "harness/experiment/fence_elsewhere.hpp"

#include <algorithm>

#include "harness/common/timeouts.hpp"
#include "harness/connector/connector_handle.hpp"
#include "harness/observer/topic_search.hpp"

namespace cdc {
using namespace std::chrono_literals;

WhereElse fence_elsewhere(const StackEndpoints& endpoints, const ConnectorConfig& connector,
                          const std::string& topic) {
  return {[=](const FenceRow& fence, int64_t since_ms) -> std::string {
    std::vector<std::string> others;
    try {
      others = ConnectorHandle(endpoints.connect_url, connector.name).active_topics();
    } catch (const std::exception&) {
      return "";  // Connect is down (a fault): nothing to say yet
    }
    others.erase(std::remove(others.begin(), others.end(), topic), others.end());
    if (others.empty() || fence.marker_column.empty()) return "";
    const std::string marker = fence.marker_value.is_string()
                                   ? fence.marker_value.get<std::string>()
                                   : fence.marker_value.dump();
    const auto sightings =
        search_topics(endpoints.kafka_bootstrap, others, since_ms, marker, scaled(5s));
    const auto found = std::find_if(sightings.begin(), sightings.end(),
                                    [](const TopicSighting& s) { return s.marker_at.has_value(); });
    if (found == sightings.end()) return "";
    std::string written;
    for (const auto& s : sightings) {
      if (s.records == 0) continue;
      written += (written.empty() ? "" : ", ") + s.topic + ": " + std::to_string(s.records) +
                 (s.records == 1 ? " record" : " records");
    }
    return "topic: the connector " + connector.name + " writes changes to " + found->topic +
           ", not to " + topic + " (the fence row " + fence.key.dump() + " came to " +
           found->topic + " at partition " + std::to_string(found->marker_at->partition) +
           ", offset " + std::to_string(found->marker_at->offset) +
           "; since the step began it wrote " + written +
           "): a routing SMT (transforms) or topic.prefix sends changes elsewhere";
  }};
}

}  // namespace cdc
