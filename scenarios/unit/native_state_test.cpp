// The native stack's state file: what `down`, `status`, faults and relaunches read back is
// what bring-up wrote, and a dead older harness's file (one object per component) still reads.
#include <gtest/gtest.h>

#include "harness/stack/native/native_state.hpp"

namespace cdc::native {
namespace {
using nlohmann::json;

TEST(NativeState, WhatIsWrittenReadsBackTheSame) {
  NativeState state;
  state.run_dir = "/tmp/run";
  state.owner_pid = 42;
  state.postgres = PostgresServer{"/usr/lib/postgresql/15/bin", "postgres", "/tmp/run/postgres",
                                  "/tmp/run/logs/postgres.log", 5433};
  state.toxiproxy = RecordedProcess{.pid = 7,
                                    .marker = "/tmp/run/toxiproxy/proxies.json",
                                    .name = "toxiproxy",
                                    .endpoint = "http://127.0.0.1:8474",
                                    .port = 8474};
  state.toxiproxy->proxies = {{"postgres", 6000}, {"kafka", 6001}};
  state.node(Component::Kafka, 2) = RecordedProcess{.pid = 9,
                                                    .marker = "/tmp/run/kafka-2/server.properties",
                                                    .name = "kafka-2",
                                                    .endpoint = "127.0.0.1:9092",
                                                    .port = 9092,
                                                    .controller_port = 9093,
                                                    .node_id = 2};
  state.node(Component::Connect, 1) = RecordedProcess{
      .pid = 11, .marker = "m", .name = "connect", .port = 8083, .bootstrap = "127.0.0.1:6001"};

  const json written = to_json(state);
  EXPECT_EQ(written["kafka"][0], nullptr) << "broker 1 was not spawned: no entry";
  EXPECT_FALSE(written.contains("schema_registry"));
  const NativeState read = native_state_from_json(json::parse(written.dump()));
  EXPECT_EQ(to_json(read), written);
  ASSERT_EQ(read.nodes(Component::Kafka).size(), 1u);
  EXPECT_EQ(read.nodes(Component::Kafka)[0].controller_port, 9093);
  EXPECT_EQ(read.toxiproxy->proxies.at("kafka"), 6001);
  EXPECT_EQ(read.postgres->os_user, "postgres");
}

TEST(NativeState, AnOlderHarnesssOneObjectPerComponentStillReads) {
  const json older = {{"backend", "native"},
                      {"kafka", {{"pid", 5}, {"marker", "k"}, {"endpoint", "e"}, {"port", 1}}},
                      {"connect", {{"pid", 6}, {"marker", "c"}, {"endpoint", "e"}, {"port", 2}}}};
  const NativeState read = native_state_from_json(older);
  ASSERT_EQ(read.nodes(Component::Connect).size(), 1u);
  EXPECT_EQ(read.nodes(Component::Connect)[0].name, "connect") << "named for its component";
  EXPECT_EQ(read.nodes(Component::Kafka)[0].pid, 5);
  EXPECT_FALSE(read.postgres);
}

}  // namespace
}  // namespace cdc::native
