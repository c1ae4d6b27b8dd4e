#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "harness/model/op.hpp"

namespace cdc {

struct SourceInfo {
  std::optional<int64_t> lsn{};
  std::optional<int64_t> tx_id{};
  std::optional<int64_t> ts_us{};  // commit time in Postgres
  std::string snapshot{};          // "false", "true", "first", "last", "incremental", …
  std::string schema{};
  std::string table{};
};

// A topic's name, shared by every event read from it: one allocation per topic, not one per
// event (names like "cdctest.public.customers" are too long for a string's inline buffer).
class TopicName {
 public:
  TopicName() = default;
  TopicName(std::string name) : name_(std::make_shared<const std::string>(std::move(name))) {}
  TopicName(const char* name) : TopicName(std::string(name)) {}
  const std::string& str() const {
    static const std::string none;
    return name_ ? *name_ : none;
  }
  operator const std::string&() const { return str(); }
  bool empty() const { return str().empty(); }

 private:
  std::shared_ptr<const std::string> name_;
};
inline std::string operator+(const std::string& a, const TopicName& b) {
  return a + b.str();
}
inline std::string operator+(const char* a, const TopicName& b) {
  return a + b.str();
}
inline std::string operator+(const TopicName& a, const char* b) {
  return a.str() + b;
}
inline bool operator==(const TopicName& a, const std::string& b) {
  return a.str() == b;
}

// Where and when a record was seen in Kafka.
struct KafkaPosition {
  TopicName topic{};
  int32_t partition = 0;
  int64_t offset = 0;
  int64_t timestamp_ms = 0;  // the record's Kafka timestamp (create time by default)
  int64_t received_us = 0;   // wall clock when the observer got it
};

// The envelope's "transaction" block, present with provide.transaction.metadata=true.
struct TransactionRef {
  std::string id{};  // "<txId>:<lsn>"
  int64_t total_order = 0;
  int64_t data_collection_order = 0;
};

// One change event, decoded from Debezium's JSON envelope (with or without embedded schema).
struct ChangeEvent {
  Op op = Op::Read;
  nlohmann::json key{};  // the key's payload, e.g. {"id": 1001}
  std::optional<nlohmann::json> before{};
  std::optional<nlohmann::json> after{};
  SourceInfo source{};
  std::optional<int64_t> ts_us{};  // when Debezium processed it
  std::optional<TransactionRef> transaction{};
  KafkaPosition kafka{};

  bool is_tombstone() const { return op == Op::Tombstone; }
};

// A short description of an event, for failure messages: op, key, lsn, txId, offset.
std::string brief(const ChangeEvent& event);

}  // namespace cdc
