#pragma once
#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "harness/observer/topic_reader.hpp"
#include "scenarios/e2e/pipeline.hpp"

namespace cdc::scenarios {

// The lsn_proc of the last offset Connect committed for a connector, read from its offsets
// topic on the broker: Connect's REST API reads that topic through the proxy the acks are held
// in, and a killed worker answers nothing.
class CommittedOffsets {
 public:
  CommittedOffsets(const Pipeline& pipeline, std::string connector)
      : reader_(pipeline.endpoints.kafka_bootstrap, "cdc_connect_offsets"),
        connector_(std::move(connector)) {}
  // Reads what has arrived (until `idle` passes without a record) and returns the latest; a
  // fresh reader needs longer for its first records than one already reading.
  int64_t latest(std::chrono::milliseconds idle = std::chrono::milliseconds(200)) {
    while (auto record = reader_.poll(idle)) {
      if (!record->value || record->key.find("\"" + connector_ + "\"") == std::string::npos)
        continue;
      const nlohmann::json offset = nlohmann::json::parse(*record->value, nullptr, false);
      if (offset.is_object() && offset.contains("lsn_proc"))
        lsn_proc_ = offset["lsn_proc"].get<int64_t>();
    }
    return lsn_proc_;
  }

 private:
  TopicReader reader_;
  std::string connector_;
  int64_t lsn_proc_ = 0;
};

}  // namespace cdc::scenarios
