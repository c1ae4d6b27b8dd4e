#include "harness/stack/native/kafka_broker.hpp"

#include <librdkafka/rdkafkacpp.h>

#include <fstream>
#include <functional>
#include <memory>
#include <random>

#include "harness/common/errors.hpp"
#include "harness/common/files.hpp"
#include "harness/common/process.hpp"
#include "harness/common/timeouts.hpp"
#include "harness/common/wait.hpp"
#include "harness/stack/native/java_service.hpp"

namespace cdc::native {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

// KRaft wants a cluster id of 16 random bytes in URL-safe base64 without padding.
std::string random_cluster_id() {
  static const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::random_device random;
  std::string id;
  for (int i = 0; i < 22; ++i) id += alphabet[random() % 64];
  id[21] =
      alphabet[(random() % 16) * 4];  // the last char carries only 2 of 128 bits: low bits zero
  return id;
}

void write_server_properties(const KafkaBroker& broker) {
  const auto at = [](int port) { return "127.0.0.1:" + std::to_string(port); };
  write_file(broker.dir / "server.properties",
             "process.roles=broker,controller\n"
             "node.id=1\n"
             "controller.quorum.voters=1@" +
                 at(broker.controller_port) + "\nlisteners=PLAINTEXT://" + at(broker.port) +
                 ",CONNECT://" + at(broker.connect_port) + ",CONTROLLER://" +
                 at(broker.controller_port) + "\nadvertised.listeners=PLAINTEXT://" +
                 at(broker.port) + ",CONNECT://" + at(broker.connect_advertised_port) +
                 "\n"
                 "controller.listener.names=CONTROLLER\n"
                 "inter.broker.listener.name=PLAINTEXT\n"
                 "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONNECT:PLAINTEXT,"
                 "CONTROLLER:PLAINTEXT\n"
                 "log.dirs=" +
                 (broker.dir / "data").string() +
                 "\n"
                 // One node: every internal topic has a single replica.
                 "offsets.topic.replication.factor=1\n"
                 "offsets.topic.num.partitions=1\n"
                 "transaction.state.log.replication.factor=1\n"
                 "transaction.state.log.min.isr=1\n"
                 "share.coordinator.state.topic.replication.factor=1\n"
                 "share.coordinator.state.topic.min.isr=1\n"
                 // A change topic has one partition, so the whole topic is in commit order.
                 "num.partitions=1\n"
                 "auto.create.topics.enable=true\n"
                 // Consumers join at once instead of waiting 3 s for company.
                 "group.initial.rebalance.delay.ms=0\n");
}

class MetadataProbe {
 public:
  explicit MetadataProbe(const std::string& bootstrap) {
    std::unique_ptr<RdKafka::Conf> conf(RdKafka::Conf::create(RdKafka::Conf::CONF_GLOBAL));
    std::string error;
    conf->set("bootstrap.servers", bootstrap, error);
    conf->set("log_level", "0", error);  // connection refused while it starts is expected
    producer_.reset(RdKafka::Producer::create(conf.get(), error));
    if (!producer_) throw HarnessError("cannot create a Kafka client: " + error);
  }

  Probe<bool> operator()() {
    RdKafka::Metadata* metadata = nullptr;
    const auto err = producer_->metadata(true, nullptr, &metadata, 1000);
    std::unique_ptr<RdKafka::Metadata> owned(metadata);
    if (err != RdKafka::ERR_NO_ERROR) return Probe<bool>::not_yet(RdKafka::err2str(err));
    if (owned->brokers()->empty()) return Probe<bool>::not_yet("metadata with no brokers");
    return Probe<bool>::ready(true);
  }

 private:
  std::unique_ptr<RdKafka::Producer> producer_;
};

}  // namespace

int start_kafka(const Toolchain& tools, const KafkaBroker& broker, const Progress& progress,
                const std::function<void(int)>& on_spawned) {
  fs::create_directories(broker.dir / "data");
  write_server_properties(broker);
  const std::string config = (broker.dir / "server.properties").string();
  run_command(java_process(tools, "kafka storage format", "kafka.tools.StorageTool",
                           {"format", "--cluster-id=" + random_cluster_id(), "--config", config},
                           broker.dir / "format.log", broker.dir, "256m"),
              scaled(60s));
  progress.stage("kafka", "storage formatted");
  return launch_kafka(tools, broker, on_spawned);
}

int launch_kafka(const Toolchain& tools, const KafkaBroker& broker,
                 const std::function<void(int)>& on_spawned) {
  const std::string config = (broker.dir / "server.properties").string();
  const int pid = spawn_server(
      java_process(tools, "kafka", "kafka.Kafka", {config}, broker.log, broker.dir, "1g"));
  on_spawned(pid);
  MetadataProbe probe(broker.bootstrap());
  wait_for("the Kafka broker on " + broker.bootstrap() + " to answer a metadata request",
           scaled(60s), [&] {
             if (!is_alive(pid, config)) {
               throw HarnessError("the Kafka broker exited during start-up; its log (" +
                                  broker.log.string() + ") ends:\n" + tail_of_file(broker.log));
             }
             return probe();
           });
  return pid;
}

}  // namespace cdc::native
