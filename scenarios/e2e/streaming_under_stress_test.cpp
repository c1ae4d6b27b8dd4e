// The stream under pressure: concurrent writers, the snapshot/stream boundary, heartbeats,
// and connector restarts, pauses and stops while changes keep coming.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <random>
#include <set>
#include <thread>

#include "harness/checkers/event_expectations.hpp"
#include "harness/common/timeouts.hpp"
#include "harness/common/wait.hpp"
#include "harness/connector/connector_lifecycle.hpp"
#include "harness/connector/replication_slot.hpp"
#include "harness/observer/topic_reader.hpp"
#include "scenarios/e2e/own_table.hpp"

namespace cdc::scenarios {
namespace {
using nlohmann::json;
using namespace std::chrono_literals;
using ::testing::Contains;
using ::testing::HasSubstr;

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

TEST(SnapshotStreamBoundary, RowsWrittenDuringTheSnapshotEachArriveExactlyOnce) {
  constexpr int kExisting = 50000;
  constexpr int kMaxDuring = 2000;
  OwnTableSpec spec = table_with("n integer");
  spec.before_connector =
      "INSERT INTO {t} (n) SELECT g FROM generate_series(1, " + std::to_string(kExisting) + ") g";
  spec.wait = WaitFor::Registration;
  OwnTable table(Pipeline::shared(), "boundary", spec);
  std::vector<int> ids;
  for (int i = 1; i <= kExisting; ++i) ids.push_back(i);
  // Keep writing while Debezium snapshots; it holds the slot only once it streams.
  int during = 0;
  while (during < kMaxDuring) {
    ids.push_back(table.insert("n", std::to_string(-during)));
    ++during;
    if (during % 20 == 0) {
      const auto slot =
          replication_slot(Pipeline::shared().endpoints.admin, table.connector().slot_name());
      if (slot && slot->active) break;
    }
  }
  table.wait_until_streaming();
  const Verdict verdict = check_each_row_once(table.next(), ids);
  EXPECT_TRUE(verdict.ok()) << verdict.summary();
  std::cout << "[ boundary ] " << during << " rows written while the snapshot of " << kExisting
            << " ran\n";
}

TEST(Heartbeats, ArriveAndAdvanceTheSlotWhileTheTableIsIdle) {
  const auto& pipeline = Pipeline::shared();
  // Debezium's documented recipe for a captured table that idles while the database does
  // not: heartbeats plus an action query that writes to a small published table, so the
  // connector receives a change and can confirm the LSN. Only this table's heartbeat row is
  // writable by the replication role.
  OwnTableSpec spec = table_with("a text", [](json& c) {
    c["heartbeat.interval.ms"] = "200";
    c["heartbeat.action.query"] =
        "INSERT INTO public.{t}_beat (id, ts) VALUES (1, now()) ON CONFLICT (id) DO UPDATE SET ts "
        "= now()";
  });
  spec.before_connector =
      "CREATE TABLE {t}_noise (id serial PRIMARY KEY, a text);"  // not published: WAL only
      "CREATE TABLE {t}_beat (id integer PRIMARY KEY, ts timestamptz);"
      "GRANT SELECT, INSERT, UPDATE ON {t}_beat TO {debezium}; ALTER PUBLICATION {t}_pub ADD TABLE "
      "{t}_beat";
  spec.after_drop = "DROP TABLE IF EXISTS {t}_noise; DROP TABLE IF EXISTS {t}_beat";
  OwnTable table(pipeline, "heartbeat", spec);
  TopicReader heartbeats(pipeline.endpoints.kafka_bootstrap,
                         "__debezium-heartbeat." + table.connector().topic_prefix());
  // WAL moves on elsewhere; the captured table stays idle.
  table.exec("INSERT INTO {t}_noise (a) SELECT 'noise' FROM generate_series(1, 100)");
  const std::string lsn_after_noise = table.exec("SELECT pg_current_wal_lsn()::text")[0][0].c_str();

  int beats = 0;
  wait_for("heartbeats and the slot's confirmed LSN to pass " + lsn_after_noise, scaled(60s), [&] {
    while (heartbeats.poll(50ms)) ++beats;
    pqxx::connection conn(pipeline.endpoints.admin.conninfo());
    pqxx::nontransaction tx(conn);
    const auto row = tx.exec_params1(
        "SELECT confirmed_flush_lsn::text, confirmed_flush_lsn >= $2::pg_lsn FROM "
        "pg_replication_slots "
        "WHERE slot_name = $1",
        table.connector().slot_name(), lsn_after_noise);
    const std::string seen =
        std::to_string(beats) + " heartbeats, confirmed_flush_lsn " + row[0].c_str();
    return beats >= 2 && row[1].as<bool>() ? Probe<bool>::ready(true) : Probe<bool>::not_yet(seen);
  });
  EXPECT_TRUE(table.next().empty()) << "the idle table produced events";
}

// Writes rows until told to stop; returns every n it committed.
class BackgroundWriter {
 public:
  explicit BackgroundWriter(const std::string& table) {
    thread_ = std::thread([this, table] {
      try {
        pqxx::connection conn(Pipeline::shared().endpoints.app.conninfo());
        for (int n = 1; !stop_; ++n) {
          pqxx::work tx(conn);
          tx.exec0("INSERT INTO " + table + " (n) VALUES (" + std::to_string(n) + ")");
          tx.commit();
          committed_.push_back(n);
          std::this_thread::sleep_for(5ms);  // pacing the load, not synchronising
        }
      } catch (const std::exception& e) {
        error_ = e.what();
      }
    });
  }
  std::vector<int> finish() {
    stop_ = true;
    thread_.join();
    if (!error_.empty()) throw std::runtime_error("background writer failed: " + error_);
    return committed_;
  }

 private:
  std::atomic<bool> stop_{false};
  std::vector<int> committed_;
  std::string error_;
  std::thread thread_;
};

// At-least-once: every committed row arrives; duplicates are allowed, and counted.
void expect_every_row_at_least_once(const std::vector<ChangeEvent>& events,
                                    const std::vector<int>& committed) {
  std::map<int, int> copies;
  for (const auto& e : events) {
    if ((e.op == Op::Create || e.op == Op::Read) && e.after) ++copies[(*e.after)["n"].get<int>()];
  }
  int lost = 0;
  int duplicated = 0;
  for (const int n : committed) {
    if (copies[n] == 0) ++lost;
    if (copies[n] > 1) duplicated += copies[n] - 1;
  }
  EXPECT_EQ(lost, 0) << lost << " of " << committed.size() << " committed rows never arrived";
  std::cout << "[ faults   ] " << committed.size() << " rows committed, " << lost << " lost, "
            << duplicated << " duplicate events\n";
}

void run_through(ConnectorAction action, const std::string& settle_state) {
  const auto& pipeline = Pipeline::shared();
  OwnTable table(pipeline, "faults", table_with("n integer"));
  BackgroundWriter writer(table.name());
  // Act on a connector that is streaming with an offset committed: changes in flight.
  wait_until_snapshot_committed(pipeline.endpoints, table.connector().name);
  table.observer().collect_until(
      "the background writer's first rows", scaled(30s),
      [](const std::vector<ChangeEvent>& seen) { return seen.size() >= 20; });
  apply_to_connector(pipeline.endpoints, table.connector().name, action);
  wait_for_connector_state(pipeline.endpoints, table.connector().name, settle_state);
  if (settle_state != "RUNNING") {
    apply_to_connector(pipeline.endpoints, table.connector().name, ConnectorAction::Resume);
  }
  table.wait_until_streaming();
  const size_t before_resume = table.observer().events().size();
  table.observer().collect_until(
      "rows written after the connector came back", scaled(30s),
      [&](const std::vector<ChangeEvent>& seen) { return seen.size() >= before_resume + 20; });
  const auto committed = writer.finish();
  expect_every_row_at_least_once(table.next(), committed);
}

TEST(ConnectorLifecycle, RestartWhileWritingLosesNothing) {
  run_through(ConnectorAction::Restart, "RUNNING");
}

TEST(ConnectorLifecycle, PauseAndResumeWhileWritingLosesNothing) {
  run_through(ConnectorAction::Pause, "PAUSED");
}

TEST(ConnectorLifecycle, StopAndResumeWhileWritingLosesNothing) {
  run_through(ConnectorAction::Stop, "STOPPED");
}

}  // namespace
}  // namespace cdc::scenarios
