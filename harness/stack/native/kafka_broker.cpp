#include "harness/stack/native/kafka_broker.hpp"

#include <librdkafka/rdkafkacpp.h>

#include <fstream>
#include <functional>
#include <memory>
#include <random>
#include <sstream>

#include <unistd.h>

#include "harness/common/errors.hpp"
#include "harness/common/files.hpp"
#include "harness/common/process.hpp"
#include "harness/common/timeouts.hpp"
#include "harness/common/wait.hpp"
#include "harness/stack/native/java_service.hpp"
#include "harness/stack/ports.hpp"

namespace cdc::native {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

// KRaft's cluster and directory ids: 16 random bytes in URL-safe base64 without padding.
std::string random_uuid() {
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
  const std::string voters = broker.voters.empty() ? broker.controller() : broker.voters;
  const std::string replicas = std::to_string(broker.replication_factor);
  const std::string in_sync = std::to_string(broker.min_insync_replicas);
  write_file(broker.dir / "server.properties",
             "process.roles=broker,controller\n"
             "node.id=" +
                 std::to_string(broker.node_id) + "\ncontroller.quorum.voters=" + voters +
                 "\nlisteners=PLAINTEXT://" + at(broker.port) + ",CONNECT://" +
                 at(broker.connect_port) + ",CONTROLLER://" + at(broker.controller_port) +
                 "\nadvertised.listeners=PLAINTEXT://" + at(broker.port) + ",CONNECT://" +
                 at(broker.connect_advertised_port) +
                 "\n"
                 "controller.listener.names=CONTROLLER\n"
                 "inter.broker.listener.name=PLAINTEXT\n"
                 "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONNECT:PLAINTEXT,"
                 "CONTROLLER:PLAINTEXT\n"
                 "log.dirs=" +
                 (broker.dir / "data").string() +
                 "\n"
                 // Every topic, internal ones too, has as many replicas as the cluster allows
                 // (up to 3), and a write needs 2 of them in sync once there are 3.
                 "default.replication.factor=" +
                 replicas + "\nmin.insync.replicas=" + in_sync +
                 "\noffsets.topic.replication.factor=" + replicas +
                 "\noffsets.topic.num.partitions=1\n"
                 "transaction.state.log.replication.factor=" +
                 replicas + "\ntransaction.state.log.min.isr=" + in_sync +
                 "\nshare.coordinator.state.topic.replication.factor=" + replicas +
                 "\nshare.coordinator.state.topic.min.isr=" + in_sync +
                 "\n"
                 // A replica that fell out of sync never becomes leader: that would lose writes.
                 "unclean.leader.election.enable=false\n"
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
    // Retried promptly: librdkafka's default backoff grows to seconds while the broker starts.
    conf->set("reconnect.backoff.ms", "20", error);
    conf->set("reconnect.backoff.max.ms", "100", error);
    producer_.reset(RdKafka::Producer::create(conf.get(), error));
    if (!producer_) throw HarnessError("cannot create a Kafka client: " + error);
  }

  Probe<bool> operator()() {
    RdKafka::Metadata* metadata = nullptr;
    // A short timeout: a request sent while the broker still starts is not answered at all.
    const auto err = producer_->metadata(true, nullptr, &metadata, 200);
    std::unique_ptr<RdKafka::Metadata> owned(metadata);
    if (err != RdKafka::ERR_NO_ERROR) return Probe<bool>::not_yet(RdKafka::err2str(err));
    if (owned->brokers()->empty()) return Probe<bool>::not_yet("metadata with no brokers");
    return Probe<bool>::ready(true);
  }

 private:
  std::unique_ptr<RdKafka::Producer> producer_;
};

// Formatting storage is a JVM run of its own (~1.5 s) whose output does not depend on ports:
// it is done once per Kafka version into the jars' cache, and each broker gets a copy.
fs::path formatted_storage(const Toolchain& tools) {
  const fs::path formatted = tools.jars / "kraft-storage";
  if (fs::exists(formatted / "meta.properties")) return formatted;
  const fs::path scratch = tools.jars / ("kraft-storage.tmp-" + std::to_string(::getpid()));
  fs::remove_all(scratch);
  fs::create_directories(scratch / "data");
  KafkaBroker model{scratch, scratch / "format.log", 9092, 9093};  // ports are not bound
  write_server_properties(model);
  run_command(java_process(tools, "kafka storage format", "kafka.tools.StorageTool",
                           {"format", "--cluster-id=" + random_uuid(), "--config",
                            (scratch / "server.properties").string()},
                           scratch / "format.log", scratch, "256m"),
              scaled(60s));
  std::error_code ec;
  fs::rename(scratch / "data", formatted, ec);  // another stack may have been first: fine
  fs::remove_all(scratch, ec);
  if (!fs::exists(formatted / "meta.properties"))
    throw HarnessError("formatting Kafka storage left no meta.properties in " + formatted.string());
  return formatted;
}

// A copy of the formatted storage with ids of its own: its node's, its cluster's (a fresh one
// for a node alone), its directory's. Nothing else in it depends on the node.
void copy_storage(const fs::path& formatted, const KafkaBroker& broker) {
  const fs::path data = broker.dir / "data";
  fs::remove_all(data);
  fs::copy(formatted, data, fs::copy_options::recursive);
  std::istringstream lines(read_file(formatted / "meta.properties"));
  std::string properties;
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("node.id=", 0) == 0) line = "node.id=" + std::to_string(broker.node_id);
    if (line.rfind("cluster.id=", 0) == 0)
      line = "cluster.id=" + (broker.cluster_id.empty() ? random_uuid() : broker.cluster_id);
    if (line.rfind("directory.id=", 0) == 0) line = "directory.id=" + random_uuid();
    properties += line + "\n";
  }
  write_file(data / "meta.properties", properties);
}

}  // namespace

std::string new_cluster_id() {
  return random_uuid();
}

int start_kafka(const Toolchain& tools, const KafkaBroker& broker, const Progress& progress,
                const std::function<void(int)>& on_spawned, const ClassArchive* classes) {
  fs::create_directories(broker.dir);
  write_server_properties(broker);
  copy_storage(formatted_storage(tools), broker);
  progress.stage(broker.name, "storage formatted");
  return launch_kafka(tools, broker, on_spawned, classes);
}

int launch_kafka(const Toolchain& tools, const KafkaBroker& broker,
                 const std::function<void(int)>& on_spawned, const ClassArchive* classes) {
  const std::string config = (broker.dir / "server.properties").string();
  const int pid = spawn_server(
      java_process(tools, "kafka", "kafka.Kafka", {config}, broker.log, broker.dir, "1g", classes));
  on_spawned(pid);
  MetadataProbe probe(broker.bootstrap());
  wait_for(
      broker.name + " on " + broker.bootstrap() + " to answer a metadata request" +
          (broker.voters.find(',') != std::string::npos ? " (its quorum: " + broker.voters + ")"
                                                        : ""),
      scaled(60s),
      [&] {
        if (!is_alive(pid, config)) {
          throw HarnessError(broker.name + " (a Kafka broker) exited during start-up; its log (" +
                             broker.log.string() + ") ends:\n" + tail_of_file(broker.log));
        }
        if (!listening_yet(broker.name, broker.port, pid))
          return Probe<bool>::not_yet("nothing listens on port " + std::to_string(broker.port));
        return probe();
      },
      100ms);
  return pid;
}

}  // namespace cdc::native
