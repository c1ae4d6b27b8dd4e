#pragma once
#include <chrono>
#include <string>

#include <nlohmann/json.hpp>

#include "harness/stack/endpoints.hpp"

namespace cdc {

// A signal to a Debezium connector (execute-snapshot, stop-snapshot, pause-snapshot, …), sent
// on one of its signal channels. The connector must enable the channel (signal.enabled.channels).
struct Signal {
  std::string id{};    // unique per signal; Debezium echoes it in notifications
  std::string type{};  // "execute-snapshot"
  nlohmann::json data = nlohmann::json::object();
};

// The source channel: a row in the signal table (signal.data.collection), written as the app
// role. Debezium sees it through the slot, in commit order with the changes around it.
void send_signal_by_table(const PostgresEndpoint& app, const std::string& signal_table,
                          const Signal& signal);

// The Kafka channel: a record on signal.kafka.topic keyed by the connector's topic.prefix,
// acknowledged by the broker before this returns.
void send_signal_by_kafka(const std::string& bootstrap, const std::string& topic,
                          const std::string& topic_prefix, const Signal& signal,
                          std::chrono::milliseconds timeout);

}  // namespace cdc
