// What a worker runs with, read from the settings Kafka logs at its start (recorded from a
// native worker started with --connect-defaults), and the warning when it is not what the
// stack's config meant.
#include "harness/connector/worker_settings.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/common/files.hpp"

namespace cdc {
namespace {
using ::testing::HasSubstr;

std::string recorded_log() {
  return read_file(std::filesystem::path(CDC_RECORDED_DIR) / "connect-worker-start.log");
}

TEST(WorkerSettings, ReadFromTheWorkersStartLog) {
  const auto settings =
      worker_settings_from_log("[x] INFO starting\n" + recorded_log() + "[y] INFO more\n");
  EXPECT_EQ(settings.at("offset.flush.interval.ms"), "60000");
  EXPECT_EQ(settings.at("key.converter"), "org.apache.kafka.connect.json.JsonConverter");
  EXPECT_EQ(settings.at("value.converter"), "org.apache.kafka.connect.json.JsonConverter");
  EXPECT_EQ(settings.at("exactly.once.source.support"), "disabled");
  EXPECT_TRUE(worker_settings_from_log("no settings here\n").empty());
}

TEST(WorkerSettings, AWorkerOtherThanTheStackMeantIsOneWarning) {
  WorkerSettings s;
  s.worker = worker_settings_from_log(recorded_log());
  EXPECT_EQ(offset_flush_disagreement(s, 60000), "");
  EXPECT_EQ(offset_flush_disagreement(s, 0), "");  // an external stack means nothing
  const std::string warning = offset_flush_disagreement(s, 1000);
  EXPECT_THAT(warning, HasSubstr("means offset.flush.interval.ms=1000, but the worker runs with "
                                 "60000"));
  EXPECT_THAT(warning, HasSubstr("OFFSET_FLUSH_INTERVAL_MS"));
  EXPECT_EQ(warning.find('\n'), std::string::npos);
}

TEST(WorkerSettings, TheSummarySaysWhatIsUnknown) {
  WorkerSettings s;
  s.connect_version = "4.1.1";
  s.connector = {{"value.converter", "io.apicurio.registry.utils.converter.AvroConverter"},
                 {"producer.override.linger.ms", "0"}};
  const std::string line = describe(s);
  EXPECT_THAT(line, HasSubstr("offset.flush.interval.ms=?"));
  EXPECT_THAT(line, HasSubstr("converters ?/AvroConverter"));
  EXPECT_THAT(line, HasSubstr("producer overrides linger.ms=0"));
  EXPECT_THAT(line, HasSubstr("worker settings unknown: no worker log"));
  EXPECT_THAT(line, HasSubstr("settle on committed offsets"));
}

}  // namespace
}  // namespace cdc

namespace cdc {
namespace {

TEST(WorkerSettings, AConverterTheObserverCannotReadIsOneWarning) {
  WorkerSettings s;
  s.worker = worker_settings_from_log(recorded_log());
  EXPECT_EQ(unreadable_converter(s, false), "");
  s.connector["value.converter"] = "org.apache.kafka.connect.storage.StringConverter";
  const std::string warning = unreadable_converter(s, true);
  EXPECT_THAT(warning, HasSubstr("values are written by org.apache.kafka.connect.storage."
                                 "StringConverter, which the observer cannot decode"));
  EXPECT_EQ(warning.find('\n'), std::string::npos);
}

TEST(WorkerSettings, AvroIsReadableInTheConfluentWireFormatWithARegistry) {
  WorkerSettings s;
  s.connector["value.converter"] = "io.apicurio.registry.utils.converter.AvroConverter";
  // Apicurio's own format (ids in headers) is not the Confluent wire format.
  EXPECT_THAT(unreadable_converter(s, true), HasSubstr("as-confluent=true"));
  s.connector["value.converter.apicurio.registry.as-confluent"] = "true";
  s.connector["value.converter.apicurio.registry.headers.enabled"] = "false";
  s.connector["value.converter.apicurio.registry.use-id"] = "contentId";
  EXPECT_EQ(unreadable_converter(s, true), "");
  EXPECT_THAT(unreadable_converter(s, false), HasSubstr("no schema registry"));
  s.connector["value.converter"] = "io.confluent.connect.avro.AvroConverter";
  EXPECT_EQ(unreadable_converter(s, true), "");
}

}  // namespace
}  // namespace cdc
