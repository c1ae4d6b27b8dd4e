// Concurrent writers on overlapping keys: per-key event order is commit order, and the table
// rebuilt from the events equals SELECT.
#include <gtest/gtest.h>

#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <thread>

#include "scenarios/e2e/own_table.hpp"

namespace cdc::scenarios {
namespace {
using nlohmann::json;

// One writer's change to a key, as Postgres returned it: op, old and new row.
struct Written {
  Op op;
  std::optional<json> before, after;
};

// Each write under a per-key advisory lock, held from before its version is drawn until
// commit (an INSERT draws nextval before it waits on the key): per key, commit order is
// version order. Returns nothing when the write changed no row.
std::optional<Written> write(pqxx::work& tx, const std::string& t, const std::string& key,
                             const std::string& writer, unsigned roll) {
  tx.exec("SELECT pg_advisory_xact_lock(" + key + ")");
  const std::string version = "nextval('" + t + "_version')";
  pqxx::result r;
  switch (roll % 4) {
    case 0:
      r = tx.exec("DELETE FROM " + t + " AS c WHERE id = " + key + " RETURNING row_to_json(c)");
      if (r.empty()) return std::nullopt;
      return Written{Op::Delete, json::parse(r[0][0].c_str()), std::nullopt};
    case 1:
      r = tx.exec("INSERT INTO " + t + " AS c (id, version, writer) VALUES (" + key + ", " +
                  version + ", " + writer +
                  ") ON CONFLICT (id) DO NOTHING RETURNING row_to_json(c)");
      if (r.empty()) return std::nullopt;
      return Written{Op::Create, std::nullopt, json::parse(r[0][0].c_str())};
    default:
      r = tx.exec("UPDATE " + t + " AS c SET version = " + version + ", writer = " + writer +
                  " FROM (SELECT * FROM " + t + " WHERE id = " + key +
                  ") old WHERE c.id = old.id RETURNING row_to_json(old), row_to_json(c)");
      if (r.empty()) return std::nullopt;
      return Written{Op::Update, json::parse(r[0][0].c_str()), json::parse(r[0][1].c_str())};
  }
}

TEST(ConcurrentWriters, PerKeyOrderIsCommitOrderAndTheEventsRebuildTheTable) {
  constexpr int kWriters = 4;
  constexpr int kKeys = 8;
  constexpr int kOpsPerWriter = 60;
  OwnTableSpec spec = table_with("version bigint, writer text");
  // FULL: updates and deletes carry the whole old row, versions included.
  spec.before_connector = "ALTER TABLE {t} REPLICA IDENTITY FULL; CREATE SEQUENCE {t}_version";
  spec.after_drop = "DROP SEQUENCE IF EXISTS {t}_version";
  OwnTable table(Pipeline::shared(), "concurrent", spec);
  std::vector<int> keys;
  std::vector<ExpectedChange> expected;  // in commit order per key: by commit LSN
  std::mutex expected_mutex;
  for (int i = 0; i < kKeys; ++i) {
    keys.push_back(table.insert("version, writer", "nextval('{t}_version'), 'setup'"));
    expected.push_back(
        expect::create({{"id", keys.back()}}).with_after(table.row(keys.back())).at_commit(0));
  }

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
          pqxx::work tx(conn);
          const auto written =
              write(tx, t, key, "'w" + std::to_string(w) + "'", static_cast<unsigned>(random()));
          const auto ids = tx.exec1(
              "SELECT txid_current() % 4294967296, (pg_current_wal_insert_lsn() - '0/0')::bigint");
          tx.commit();
          if (!written) continue;
          ExpectedChange change =
              written->op == Op::Delete   ? expect::remove({{"id", std::stoi(key)}})
              : written->op == Op::Create ? expect::create({{"id", std::stoi(key)}})
                                          : expect::update({{"id", std::stoi(key)}});
          change.before = written->before;
          change.after = written->after;
          std::lock_guard lock(expected_mutex);
          expected.push_back(std::move(change)
                                 .in_transaction(ids[0].as<int64_t>())
                                 .at_commit(ids[1].as<int64_t>()));
        }
      } catch (const std::exception& e) {
        errors[w] = e.what();
      }
    });
  }
  for (auto& writer : writers) writer.join();
  for (const auto& error : errors) ASSERT_EQ(error, "") << "a writer failed";

  const auto events = table.next();
  const Verdict verdict = check_events(events, expected, table.rules());
  EXPECT_TRUE(verdict.ok()) << verdict.summary();

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
