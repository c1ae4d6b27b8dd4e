#include "harness/connector/signals.hpp"

#include <librdkafka/rdkafkacpp.h>

#include <memory>
#include <pqxx/pqxx>

#include "harness/common/errors.hpp"

namespace cdc {

namespace {

// The broker's answer to the one record sent.
class DeliveryAnswer : public RdKafka::DeliveryReportCb {
 public:
  void dr_cb(RdKafka::Message& message) override { error = message.err(); }
  RdKafka::ErrorCode error = RdKafka::ERR__TIMED_OUT;
};

}  // namespace

void send_signal_by_table(const PostgresEndpoint& app, const std::string& signal_table,
                          const Signal& signal) {
  pqxx::connection conn(app.conninfo());
  pqxx::work tx(conn);
  // "schema.table" as Debezium names it; each part quoted as an identifier.
  const auto dot = signal_table.find('.');
  const std::string table = dot == std::string::npos
                                ? tx.quote_name(signal_table)
                                : tx.quote_name(signal_table.substr(0, dot)) + "." +
                                      tx.quote_name(signal_table.substr(dot + 1));
  tx.exec_params("INSERT INTO " + table + " (id, type, data) VALUES ($1, $2, $3)", signal.id,
                 signal.type, signal.data.dump());
  tx.commit();
}

void send_signal_by_kafka(const std::string& bootstrap, const std::string& topic,
                          const std::string& topic_prefix, const Signal& signal,
                          std::chrono::milliseconds timeout) {
  std::string error;
  std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  conf->set("bootstrap.servers", bootstrap, error);
  conf->set("enable.idempotence", "true", error);
  DeliveryAnswer answer;
  conf->set("dr_cb", &answer, error);
  std::unique_ptr<RdKafka::Producer> producer(RdKafka::Producer::create(conf.get(), error));
  if (!producer) throw HarnessError("cannot create a Kafka producer for signals: " + error);
  const std::string value =
      nlohmann::json{{"id", signal.id}, {"type", signal.type}, {"data", signal.data}}.dump();
  const auto sent =
      producer->produce(topic, RdKafka::Topic::PARTITION_UA, RdKafka::Producer::RK_MSG_COPY,
                        const_cast<char*>(value.data()), value.size(), topic_prefix.data(),
                        topic_prefix.size(), 0, nullptr);
  if (sent != RdKafka::ERR_NO_ERROR) {
    throw HarnessError("cannot send a signal to Kafka topic " + topic + ": " +
                       RdKafka::err2str(sent));
  }
  producer->flush(static_cast<int>(timeout.count()));
  if (answer.error != RdKafka::ERR_NO_ERROR) {
    throw HarnessError("the signal to Kafka topic " + topic + " at " + bootstrap +
                       " was not acknowledged within " + std::to_string(timeout.count()) +
                       " ms: " + RdKafka::err2str(answer.error));
  }
}

}  // namespace cdc
