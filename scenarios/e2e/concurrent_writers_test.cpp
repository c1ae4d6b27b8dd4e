// Concurrent writers on overlapping keys: per-key event order is commit order, and the table
// rebuilt from the events equals SELECT.
#include <gtest/gtest.h>

#include <map>
#include <random>
#include <thread>

#include "scenarios/e2e/own_table.hpp"

namespace cdc::scenarios {
namespace {
using nlohmann::json;

TEST(ConcurrentWriters, PerKeyOrderIsCommitOrderAndTheEventsRebuildTheTable) {
  constexpr int kWriters = 4;
  constexpr int kKeys = 8;
  constexpr int kOpsPerWriter = 60;
  OwnTableSpec spec = table_with("version bigint, writer text");
  // FULL: a delete's before image carries the version it removed. Versions come from a
  // sequence inside each write.
  spec.before_connector = "ALTER TABLE {t} REPLICA IDENTITY FULL; CREATE SEQUENCE {t}_version";
  spec.after_drop = "DROP SEQUENCE IF EXISTS {t}_version";
  OwnTable table(Pipeline::shared(), "concurrent", spec);
  std::vector<int> keys;
  for (int i = 0; i < kKeys; ++i)
    keys.push_back(table.insert("version, writer", "nextval('{t}_version'), 'setup'"));

  const std::string t = table.name();
  std::vector<std::thread> writers;
  std::vector<std::string> errors(kWriters);
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      try {
        pqxx::connection conn(Pipeline::shared().endpoints.app.conninfo());
        std::mt19937 random(static_cast<unsigned>(w));
        for (int op = 0; op < kOpsPerWriter; ++op) {
          const std::string key = std::to_string(keys[random() % kKeys]);
          const std::string writer = "'w" + std::to_string(w) + "'";
          pqxx::work tx(conn);
          // One writer per key at a time, from before its version is drawn until commit
          // (an INSERT draws nextval before it waits on the key), so per key the versions
          // rise in commit order.
          tx.exec("SELECT pg_advisory_xact_lock(" + key + ")");
          switch (random() % 4) {
            case 0:
              tx.exec0("DELETE FROM " + t + " WHERE id = " + key);
              break;
            case 1:
              tx.exec0("INSERT INTO " + t + " (id, version, writer) VALUES (" + key +
                       ", nextval('" + t + "_version'), " + writer +
                       ") ON CONFLICT (id) DO NOTHING");
              break;
            default:
              tx.exec0("UPDATE " + t + " SET version = nextval('" + t +
                       "_version'), writer = " + writer + " WHERE id = " + key);
          }
          tx.commit();
        }
      } catch (const std::exception& e) {
        errors[w] = e.what();
      }
    });
  }
  for (auto& writer : writers) writer.join();
  for (const auto& error : errors) ASSERT_EQ(error, "") << "a writer failed";

  const auto events = table.next();
  std::map<int, int64_t> last_version;
  for (const auto& e : events) {
    if (e.is_tombstone()) continue;
    const int id = e.key["id"];
    if (e.op == Op::Delete) {
      // A delete removes the row as the previous event left it.
      EXPECT_EQ((*e.before)["version"], last_version[id])
          << "key " << id << ": " << brief(e) << " out of order";
      continue;
    }
    const int64_t version = (*e.after)["version"];
    EXPECT_GT(version, last_version[id])
        << "key " << id << ": " << brief(e) << " out of commit order";
    last_version[id] = version;
  }

  std::map<std::string, json> in_postgres;
  for (const auto& row : table.exec("SELECT row_to_json(r) FROM {t} r WHERE writer IS NOT NULL")) {
    const json r = json::parse(row[0].c_str());
    in_postgres[json{{"id", r["id"]}}.dump()] = r;
  }
  EXPECT_EQ(table_state(events), in_postgres)
      << "the table rebuilt from the events differs from SELECT";
}

}  // namespace
}  // namespace cdc::scenarios
