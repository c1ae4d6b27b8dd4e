#include "harness/observer/envelope_decoder.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "scenarios/unit/recorded_events.hpp"

namespace cdc::unit {
namespace {
using nlohmann::json;
using ::testing::HasSubstr;

std::vector<std::string> ops(const std::vector<ChangeEvent>& events) {
  std::vector<std::string> out;
  for (const auto& e : events) out.push_back(to_string(e.op));
  return out;
}

TEST(EnvelopeDecoder, DecodesEnvelopesWithEmbeddedSchemas) {
  const auto events = recorded_events("customers-with-schemas.json");
  EXPECT_EQ(ops(events), (std::vector<std::string>{"r", "r", "r", "r", "c", "u", "d", "tombstone",
                                                   "c", "c", "u", "d", "tombstone"}));
  const ChangeEvent& insert = events[4];
  EXPECT_EQ(insert.key, json({{"id", 1005}}));
  EXPECT_FALSE(insert.before);
  EXPECT_EQ(*insert.after,
            json({{"id", 1005}, {"first_name", "A"}, {"last_name", "B"}, {"email", "ab@x.org"}}));
  EXPECT_EQ(insert.source.tx_id, 729);
  EXPECT_EQ(insert.source.lsn, 26387696);
  EXPECT_EQ(insert.source.snapshot, "false");
  EXPECT_EQ(insert.source.table, "customers");
  ASSERT_TRUE(insert.source.ts_us && insert.ts_us);
  EXPECT_LE(*insert.source.ts_us, *insert.ts_us);  // committed before Debezium processed it
}

TEST(EnvelopeDecoder, UpdateAndDeleteCarryTheOldRowUnderReplicaIdentityFull) {
  const auto events = recorded_events("customers-with-schemas.json");
  const ChangeEvent& update = events[5];
  EXPECT_EQ((*update.before)["email"], "sally.thomas@acme.com");
  EXPECT_EQ((*update.after)["email"], "new@x.org");
  const ChangeEvent& remove = events[6];
  EXPECT_EQ((*remove.before)["id"], 1002);
  EXPECT_FALSE(remove.after);
}

TEST(EnvelopeDecoder, RecognisesTombstonesByTheirNullValue) {
  const auto events = recorded_events("customers-with-schemas.json");
  EXPECT_TRUE(events[7].is_tombstone());
  EXPECT_EQ(events[7].key, json({{"id", 1002}}));
  EXPECT_FALSE(events[7].after);
}

TEST(EnvelopeDecoder, MarksSnapshotReads) {
  const auto events = recorded_events("customers-with-schemas.json");
  EXPECT_EQ(events[0].source.snapshot, "first");
  EXPECT_EQ(events[1].source.snapshot, "true");
  EXPECT_EQ(events[3].source.snapshot, "last");
}

TEST(EnvelopeDecoder, DecodesEnvelopesWithoutSchemasTheSameWay) {
  const auto events = recorded_events("customers-schemaless.json");
  EXPECT_EQ(ops(events),
            (std::vector<std::string>{"r", "r", "r", "r", "c", "c", "u", "d", "tombstone"}));
  EXPECT_EQ(events[6].key, json({{"id", 1006}}));
  EXPECT_EQ((*events[6].before)["last_name"], "X");
  EXPECT_EQ((*events[6].after)["last_name"], "Z");
  EXPECT_EQ(events[6].source.tx_id, 731);
}

TEST(EnvelopeDecoder, OlderEnvelopesWithOnlyMillisecondsStillGiveMicroseconds) {
  const auto event = decode_change_event(
      R"({"id":1})", R"({"op":"c","after":{"id":1},"ts_ms":5,"source":{"ts_ms":3}})",
      KafkaPosition{});
  EXPECT_EQ(event.ts_us, 5000);
  EXPECT_EQ(event.source.ts_us, 3000);
}

TEST(EnvelopeDecoder, RejectsARecordThatIsNotJson) {
  KafkaPosition at{"t", 0, 42, 0, 0};
  try {
    decode_change_event(R"({"id":1})", "not json", at);
    FAIL() << "decoded garbage";
  } catch (const DecodeError& e) {
    EXPECT_THAT(e.what(), HasSubstr("t/0@42"));
    EXPECT_THAT(e.what(), HasSubstr("not JSON"));
  }
}

TEST(EnvelopeDecoder, RejectsAFlattenedRecordNamingTheLikelyCause) {
  try {
    decode_change_event(R"({"id":1})", R"({"id":1,"email":"x"})", KafkaPosition{});
    FAIL() << "decoded a record without op";
  } catch (const DecodeError& e) {
    EXPECT_THAT(e.what(), HasSubstr("ExtractNewRecordState"));
  }
}

TEST(EnvelopeDecoder, RejectsAnUnknownOp) {
  EXPECT_THROW(decode_change_event(R"({"id":1})", R"({"op":"x"})", KafkaPosition{}), DecodeError);
}

}  // namespace
}  // namespace cdc::unit

namespace cdc::unit {
namespace {

// The payload is read alone only when it is one whole object closing the record; a record
// where "payload": also appears inside the schema, or where something follows the payload,
// decodes as the whole record says.
TEST(EnvelopeDecoder, ReadsThePayloadAloneOnlyWhenItIsTheWholeRest) {
  const std::string payload =
      R"({"before":null,"after":{"id":7,"email":"p@x.org"},"source":{"txId":9,"lsn":5},"op":"c"})";
  const std::string plain = R"({"schema":{"type":"struct"},"payload":)" + payload + "}";
  const std::string tricky =
      R"({"schema":{"type":"struct","parameters":{"x":"1"},"fields":[{"field":"payload"}]},)"
      R"("payload":)" +
      payload + "}";
  const std::string nested =
      R"({"schema":{"name":"x","payload":{"op":"d"}},"payload":)" + payload + "}";
  for (const std::string& record : {plain, tricky, nested}) {
    const auto event = decode_change_event(R"({"schema":{},"payload":{"id":7}})", record, {});
    EXPECT_EQ(event.op, Op::Create) << record;
    EXPECT_EQ(event.key, nlohmann::json({{"id", 7}})) << record;
    EXPECT_EQ(event.after->at("email"), "p@x.org") << record;
    EXPECT_EQ(event.source.tx_id, 9) << record;
  }
  const std::string trailing = R"({"schema":{},"payload":)" + payload + R"(,"extra":{"op":"d"}})";
  EXPECT_EQ(decode_change_event(R"({"id":7})", trailing, {}).op, Op::Create);
}

// Where the last record's payload began is remembered; records whose schemas differ, or share
// a beginning with the last one, still decode as each says.
TEST(EnvelopeDecoder, RecordsInTurnWithDifferentSchemasEachDecodeAsTheySay) {
  const auto envelope = [](const std::string& op, int id) {
    return R"({"before":null,"after":{"id":)" + std::to_string(id) + R"(},"source":{},"op":")" +
           op + R"("})";
  };
  const std::string plain = R"({"schema":{"type":"struct"},"payload":)";
  const std::string longer = R"({"schema":{"type":"struct"},"x":{"payload":{"op":"d"}},"payload":)";
  const std::string nested = R"({"schema":{"type":"struct","payload":{"op":"d"}},"payload":)";
  const std::vector<std::pair<std::string, std::string>> records = {
      {plain, "c"},  {plain, "u"},  {longer, "r"}, {plain, "c"},
      {nested, "u"}, {nested, "c"}, {plain, "r"}};
  int id = 0;
  for (const auto& [schema, op] : records) {
    ++id;
    const auto key = R"({"schema":{"k":)" + std::to_string(id % 2) + R"(},"payload":{"id":)" +
                     std::to_string(id) + "}}";
    const auto event = decode_change_event(key, schema + envelope(op, id) + "}", {});
    EXPECT_EQ(to_string(event.op), op) << schema;
    EXPECT_EQ(event.key, nlohmann::json({{"id", id}})) << schema;
    EXPECT_EQ(event.after->at("id"), id) << schema;
  }
}

}  // namespace
}  // namespace cdc::unit
