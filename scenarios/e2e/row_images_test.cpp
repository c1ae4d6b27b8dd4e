// Row images: REPLICA IDENTITY decides the before image, TOAST decides whether an
// untouched large value is sent, and a primary-key change is a delete plus a create.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/checkers/event_expectations.hpp"
#include "scenarios/e2e/flows.hpp"
#include "scenarios/e2e/own_table.hpp"

namespace cdc::scenarios {
namespace {
using nlohmann::json;
using ::testing::Contains;
using ::testing::HasSubstr;

// Debezium's stand-in for a TOASTed value that Postgres did not send
// (unavailable.value.placeholder).
const char* kUnavailable = "__debezium_unavailable_value";

OwnTableSpec identity_table(const std::string& identity) {
  OwnTableSpec spec;
  // EXTERNAL: stored out of line and uncompressed, so a long value is always TOASTed.
  spec.columns = "a text, big text";
  spec.before_connector =
      "ALTER TABLE {t} ALTER COLUMN big SET STORAGE EXTERNAL; ALTER TABLE {t} REPLICA IDENTITY " +
      identity;
  return spec;
}

struct Changes {
  json inserted, updated;
  int id = 0;
};

// Insert, update the small column, delete: the sequence every identity test reads.
Changes insert_update_delete(OwnTable& table, const std::string& big) {
  Changes changes;
  changes.id = table.insert("a, big", "'one', '" + big + "'");
  changes.inserted = table.row(changes.id);
  table.exec("UPDATE {t} SET a = 'two' WHERE id = " + std::to_string(changes.id));
  changes.updated = table.row(changes.id);
  table.exec("DELETE FROM {t} WHERE id = " + std::to_string(changes.id));
  return changes;
}

std::vector<ExpectedEvent> expected_under_default(const Changes& c) {
  const json key = {{"id", c.id}};
  return {{Op::Create, key, std::nullopt, true, c.inserted, {}},
          {Op::Update, key, std::nullopt, true, c.updated, {}},  // DEFAULT: no old row for a
                                                                 // non-key change
          {Op::Delete,
           key,
           json{{"id", c.id}, {"a", nullptr}, {"big", nullptr}},
           false,
           std::nullopt,
           {}},
          {Op::Tombstone, key, std::nullopt, false, std::nullopt, {}}};
}

std::vector<ExpectedEvent> expected_under_full(const Changes& c) {
  const json key = {{"id", c.id}};
  return {{Op::Create, key, std::nullopt, true, c.inserted, {}},
          {Op::Update, key, c.inserted, false, c.updated, {}},
          {Op::Delete, key, c.updated, false, std::nullopt, {}},
          {Op::Tombstone, key, std::nullopt, false, std::nullopt, {}}};
}

TEST(ReplicaIdentity, DefaultSendsNoBeforeForUpdatesAndOnlyTheKeyForDeletes) {
  OwnTable table(Pipeline::shared(), "ri_default", identity_table("DEFAULT"));
  const Changes changes = insert_update_delete(table, "small");
  const Verdict verdict = check_events(table.next(), expected_under_default(changes));
  EXPECT_TRUE(verdict.ok()) << verdict.summary();
}

TEST(ReplicaIdentity, FullSendsTheWholeOldRowForUpdatesAndDeletes) {
  OwnTable table(Pipeline::shared(), "ri_full", identity_table("FULL"));
  const Changes changes = insert_update_delete(table, "small");
  const Verdict verdict = check_events(table.next(), expected_under_full(changes));
  EXPECT_TRUE(verdict.ok()) << verdict.summary();
}

// Proof: expecting FULL's images from a DEFAULT table is reported, image by image.
TEST(ReplicaIdentity, ExpectingFullImagesFromADefaultTableFails) {
  OwnTable table(Pipeline::shared(), "ri_wrong", identity_table("DEFAULT"));
  const Changes changes = insert_update_delete(table, "small");
  const Verdict verdict = check_events(table.next(), expected_under_full(changes));
  EXPECT_THAT(verdict.failures,
              Contains(HasSubstr("wrong before: op=u key={\"id\":" + std::to_string(changes.id) +
                                 "} has no before image")))
      << verdict.summary();
}

std::string toasted_value() {
  return std::string(20000, 'x');
}

TEST(Toast, AnUntouchedToastedValueIsThePlaceholderUnderDefault) {
  OwnTable table(Pipeline::shared(), "toast_default", identity_table("DEFAULT"));
  const Changes changes = insert_update_delete(table, toasted_value());
  json updated = changes.updated;
  updated["big"] = kUnavailable;
  auto expected = expected_under_default(changes);
  expected[1].after = updated;
  const Verdict verdict = check_events(table.next(), expected);
  EXPECT_TRUE(verdict.ok()) << verdict.summary();
}

TEST(Toast, AnUntouchedToastedValueArrivesWholeUnderFull) {
  OwnTable table(Pipeline::shared(), "toast_full", identity_table("FULL"));
  const Changes changes = insert_update_delete(table, toasted_value());
  const Verdict verdict = check_events(table.next(), expected_under_full(changes));
  EXPECT_TRUE(verdict.ok()) << verdict.summary();
}

// Proof: a check that expected the whole value under DEFAULT names the column.
TEST(Toast, ExpectingTheWholeValueUnderDefaultFails) {
  OwnTable table(Pipeline::shared(), "toast_wrong", identity_table("DEFAULT"));
  const Changes changes = insert_update_delete(table, toasted_value());
  const Verdict verdict = check_events(table.next(), expected_under_default(changes));
  EXPECT_THAT(verdict.failures, Contains(HasSubstr("column big is \"" + std::string(kUnavailable))))
      << verdict.summary();
}

TEST(PrimaryKeyChange, IsADeleteAndTombstoneOfTheOldKeyThenACreateOfTheNew) {
  const auto& pipeline = Pipeline::shared();
  CustomersScene scene(pipeline, pipeline.connector, "rekey");
  auto& workload = scene.workload;
  const Mutation inserted = workload.insert("Rosalind", "Franklin");
  const auto rekeyed =
      workload.transaction([&](CustomersWorkload::Batch& tx) { tx.change_id(inserted.key["id"]); });
  std::vector<Mutation> mutations = {inserted};
  mutations.insert(mutations.end(), rekeyed.begin(), rekeyed.end());
  const Verdict verdict = check_events(
      scene.reader.next(), expected_events(mutations, event_rules(pipeline, pipeline.connector)));
  EXPECT_TRUE(verdict.ok()) << verdict.summary();
}

}  // namespace
}  // namespace cdc::scenarios
