// Heartbeats arrive and advance the slot's confirmed LSN while the captured table idles.
#include <gtest/gtest.h>

#include "harness/common/timeouts.hpp"
#include "harness/common/wait.hpp"
#include "harness/observer/topic_reader.hpp"
#include "scenarios/e2e/own_table.hpp"

namespace cdc::scenarios {
namespace {
using nlohmann::json;
using namespace std::chrono_literals;

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

}  // namespace
}  // namespace cdc::scenarios
