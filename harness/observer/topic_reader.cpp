#include "harness/observer/topic_reader.hpp"

#include <librdkafka/rdkafkacpp.h>

#include <random>

#include "harness/common/clock.hpp"
#include "harness/common/errors.hpp"
#include "harness/observer/avro_records.hpp"
#include "harness/observer/schema_registry.hpp"

namespace cdc {

namespace {

void set(RdKafka::Conf& conf, const std::string& name, const std::string& value) {
  std::string error;
  if (conf.set(name, value, error) != RdKafka::Conf::CONF_OK) {
    throw HarnessError("Kafka consumer setting " + name + "=" + value + " rejected: " + error);
  }
}

// Named after the topic, so a run's cleanup on a shared cluster finds the groups that read
// its topics (which carry the run id) and deletes them with the topics.
std::string unique_group(const std::string& topic) {
  std::random_device random;
  return "cdc-harness-reader." + topic + "." + std::to_string(random()) + std::to_string(random());
}

}  // namespace

// librdkafka reports broker trouble through events, served on the consuming thread.
class TopicReader::TroubleRecorder : public RdKafka::EventCb {
 public:
  explicit TroubleRecorder(std::string& trouble) : trouble_(trouble) {}
  void event_cb(RdKafka::Event& event) override {
    if (event.type() == RdKafka::Event::EVENT_ERROR) trouble_ = event.str();
  }

 private:
  std::string& trouble_;
};

TopicReader::TopicReader(const std::string& bootstrap, const std::string& topic, StartAt start)
    : topic_(topic) {
  std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
  set(*conf, "bootstrap.servers", bootstrap);
  set(*conf, "group.id", unique_group(topic));
  set(*conf, "enable.auto.commit", "false");
  set(*conf, "auto.offset.reset", start == StartAt::Earliest ? "earliest" : "latest");
  // A topic that Debezium has not created yet is noticed within a second, not five minutes.
  set(*conf, "topic.metadata.refresh.interval.ms", "1000");
  set(*conf, "fetch.wait.max.ms", "10");
  // Back on a restarted broker within a second or two: a connection made while the broker
  // starts can go unanswered, and librdkafka's defaults (30 s to set one up, back-off up to
  // 10 s) then made the observer, not the pipeline, 30 s late after a kafka-restart (Kafka
  // had the records 0.4 s after the heal), which the liveness check took for a stall.
  set(*conf, "socket.connection.setup.timeout.ms", "3000");
  set(*conf, "reconnect.backoff.max.ms", "1000");
  // A backlog is read without pauses: librdkafka 2.0 stops fetching for a second whenever
  // 100k records wait in its queue, which a fast reader of 3 KB envelopes hits every few
  // hundred thousand (reading 300k went 3x faster, ahead of kcat). The queue stays bounded
  // by size, at 256 MB.
  set(*conf, "queued.min.messages", "1000000");
  set(*conf, "queued.max.messages.kbytes", "262144");
  set(*conf, "max.partition.fetch.bytes", "10485760");
  set(*conf, "log_level", "0");  // trouble is reported through last_trouble(), not stderr
  trouble_recorder_ = std::make_unique<TroubleRecorder>(last_trouble_);
  std::string error;
  if (conf->set("event_cb", trouble_recorder_.get(), error) != RdKafka::Conf::CONF_OK) {
    throw HarnessError("cannot set the Kafka consumer's event callback: " + error);
  }
  consumer_.reset(RdKafka::KafkaConsumer::create(conf.get(), error));
  if (!consumer_)
    throw HarnessError("cannot create a Kafka consumer for " + bootstrap + ": " + error);
  // A topic that exists is read from its partitions directly: no group to join (joining
  // takes seconds). One that does not yet is subscribed to, and picked up once created.
  const auto partitions = existing_partitions();
  if (!partitions.empty()) {
    std::vector<RdKafka::TopicPartition*> assignment;
    for (const int32_t p : partitions) {
      assignment.push_back(RdKafka::TopicPartition::create(topic, p,
                                                           start == StartAt::Earliest
                                                               ? RdKafka::Topic::OFFSET_BEGINNING
                                                               : RdKafka::Topic::OFFSET_END));
    }
    const auto err = consumer_->assign(assignment);
    RdKafka::TopicPartition::destroy(assignment);
    if (err != RdKafka::ERR_NO_ERROR)
      throw HarnessError("cannot read " + topic + "'s partitions: " + RdKafka::err2str(err));
    return;
  }
  if (const auto err = consumer_->subscribe({topic}); err != RdKafka::ERR_NO_ERROR) {
    throw HarnessError("cannot subscribe to " + topic + ": " + RdKafka::err2str(err));
  }
}

std::vector<int32_t> TopicReader::existing_partitions() {
  std::string error;
  std::unique_ptr<RdKafka::Topic> handle(
      RdKafka::Topic::create(consumer_.get(), topic_, nullptr, error));
  RdKafka::Metadata* metadata = nullptr;
  if (!handle || consumer_->metadata(false, handle.get(), &metadata, 5000) != RdKafka::ERR_NO_ERROR)
    return {};  // the broker may be down (a fault): subscribing copes with whatever comes
  std::unique_ptr<RdKafka::Metadata> owned(metadata);
  std::vector<int32_t> partitions;
  for (const auto* t : *owned->topics()) {
    if (t->topic() != topic_ || t->err() != RdKafka::ERR_NO_ERROR) continue;
    for (const auto* p : *t->partitions()) partitions.push_back(p->id());
  }
  return partitions;
}

TopicReader::~TopicReader() {
  if (consumer_) consumer_->close();
}

const RdKafka::Message* TopicReader::next(std::chrono::milliseconds timeout) {
  message_.reset(consumer_->consume(static_cast<int>(timeout.count())));
  switch (message_->err()) {
    case RdKafka::ERR_NO_ERROR:
      last_trouble_.clear();  // a record got through: whatever troubled us is over
      return message_.get();
    case RdKafka::ERR__TIMED_OUT:
    case RdKafka::ERR__PARTITION_EOF:
    case RdKafka::ERR_UNKNOWN_TOPIC_OR_PART:  // not created yet: Debezium creates it on first
                                              // change
      return nullptr;
    default:
      if (message_->err() == RdKafka::ERR__FATAL) {
        throw HarnessError("Kafka consumer on " + topic_ + " failed: " + message_->errstr());
      }
      return nullptr;  // transient (broker connection etc.): librdkafka retries
  }
}

RecordView TopicReader::view_of(const RdKafka::Message& message) {
  // One topic per reader: its name is kept, not fetched (and allocated) per record.
  if (position_.topic.empty()) position_.topic = message.topic_name();
  position_.partition = message.partition();
  position_.offset = message.offset();
  position_.timestamp_ms = message.timestamp().timestamp;
  position_.received_us = now_us();
  RecordView view{{}, std::nullopt, position_};
  if (message.key_pointer() != nullptr)
    view.key = std::string_view(static_cast<const char*>(message.key_pointer()), message.key_len());
  if (message.payload() != nullptr)
    view.value = std::string_view(static_cast<const char*>(message.payload()), message.len());
  view.wire_bytes = view.key.size() + (view.value ? view.value->size() : 0);
  if (is_confluent_avro(view.key) || (view.value && is_confluent_avro(*view.value))) {
    if (!avro_) avro_ = std::make_unique<AvroRecords>(fetch_writer_schema);
    if (is_confluent_avro(view.key)) view.key = key_json_ = avro_->to_json_text(view.key);
    if (view.value && is_confluent_avro(*view.value))
      view.value = value_json_ = avro_->to_json_text(*view.value);
  }
  return view;
}

std::optional<RawRecord> TopicReader::poll(std::chrono::milliseconds timeout) {
  const RdKafka::Message* message = next(timeout);
  if (message == nullptr) return std::nullopt;
  const RecordView view = view_of(*message);
  RawRecord record;
  record.position = view.position;
  record.key = std::string(view.key);
  if (view.value) record.value = std::string(*view.value);
  // headers() is not const in librdkafka, though it only reads.
  if (RdKafka::Headers* headers = const_cast<RdKafka::Message*>(message)->headers()) {
    for (const auto& header : headers->get_all()) {
      record.headers.emplace_back(
          header.key(),
          header.value() == nullptr
              ? std::string()
              : std::string(static_cast<const char*>(header.value()), header.value_size()));
    }
  }
  return record;
}

}  // namespace cdc
