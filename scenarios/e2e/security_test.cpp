// What the pipeline must not give away: passwords, and more privilege than CDC needs.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <pqxx/pqxx>

#include "harness/common/files.hpp"
#include "harness/common/run_dir.hpp"
#include "harness/connector/connector_handle.hpp"
#include "harness/stack/backend.hpp"
#include "scenarios/e2e/pipeline.hpp"

namespace cdc::scenarios {
namespace {
using ::testing::HasSubstr;
using ::testing::Not;

TEST(Security, NoPasswordAppearsInAnyLogOrInConnectsAnswers) {
  const auto& pipeline = Pipeline::shared();
  const auto& e = pipeline.endpoints;
  std::vector<std::string> texts;
  // The components' logs where the harness runs them (an external stack's are its operator's).
  if (make_stack_backend(pipeline.stack, pipeline.run_dir)->collect_logs()) {
    for (const auto& entry : std::filesystem::directory_iterator(RunDir(pipeline.run_dir).logs())) {
      texts.push_back(read_file(entry.path()));
    }
    ASSERT_GE(texts.size(), 3u) << "expected postgres, kafka and connect logs in "
                                << pipeline.run_dir;
  }
  texts.push_back(ConnectorHandle(e.connect_url, pipeline.connector.name).config().dump());
  texts.push_back(read_file(RunDir(pipeline.run_dir).connector()));
  texts.push_back(read_file(RunDir(pipeline.run_dir).endpoints()));
  for (const auto* role : {&e.admin, &e.app, &e.debezium}) {
    // Ours are random and long; a short one of an external stack would match by chance.
    if (pipeline.stack.shared() && role->password.size() < 8) continue;
    ASSERT_GE(role->password.size(), 8u) << "no real password for " << role->user;
    for (const auto& text : texts) EXPECT_THAT(text, Not(HasSubstr(role->password))) << role->user;
  }
}

TEST(Security, DebeziumConnectsAsALeastPrivilegeReplicationRole) {
  const auto& pipeline = Pipeline::shared();
  PostgresEndpoint admin = pipeline.endpoints.admin;
  admin.dbname = pipeline.endpoints.debezium.dbname;
  pqxx::connection conn(admin.conninfo());
  pqxx::nontransaction tx(conn);
  // Who streams from the connector's slot, as Postgres sees it.
  const auto streamer = tx.exec_params(
      "SELECT r.usename FROM pg_stat_replication r JOIN pg_replication_slots s ON s.active_pid = "
      "r.pid "
      "WHERE s.slot_name = $1",
      pipeline.connector.slot_name());
  ASSERT_EQ(streamer.size(), 1u) << "no walsender holds slot " << pipeline.connector.slot_name();
  EXPECT_EQ(streamer[0][0].as<std::string>(), pipeline.endpoints.debezium.user);
  const auto role = tx.exec_params1(
      "SELECT rolsuper, rolreplication, rolcreatedb, rolcreaterole, "
      "has_table_privilege($1, 'public.customers', 'SELECT'), "
      "has_table_privilege($1, 'public.customers', 'INSERT, UPDATE, DELETE, TRUNCATE'), "
      "has_database_privilege($1, $2, 'CREATE') FROM pg_roles WHERE rolname = $1",
      pipeline.endpoints.debezium.user, pipeline.endpoints.debezium.dbname);
  EXPECT_FALSE(role[0].as<bool>()) << "superuser";
  EXPECT_TRUE(role[1].as<bool>()) << "replication";
  EXPECT_FALSE(role[2].as<bool>()) << "createdb";
  EXPECT_FALSE(role[3].as<bool>()) << "createrole";
  EXPECT_TRUE(role[4].as<bool>()) << "SELECT on customers";
  EXPECT_FALSE(role[5].as<bool>()) << "writes to customers";
  EXPECT_FALSE(role[6].as<bool>()) << "CREATE on the database";
}

TEST(Security, EveryServerListensOnLoopbackOnly) {
  const auto& pipeline = Pipeline::shared();
  if (pipeline.stack.shared()) {
    GTEST_SKIP() << "an external stack's listeners are its operator's choice";
  }
  const auto& e = pipeline.endpoints;
  EXPECT_EQ(e.admin.host, "127.0.0.1");
  EXPECT_THAT(e.kafka_bootstrap, ::testing::StartsWith("127.0.0.1:"));
  EXPECT_THAT(e.connect_url, ::testing::StartsWith("http://127.0.0.1:"));
  // In containers Postgres listens on its own network; compose publishes it on loopback only.
  if (pipeline.stack.kind == StackKind::Compose) return;
  pqxx::connection conn(e.admin.conninfo());
  pqxx::nontransaction tx(conn);
  EXPECT_EQ(tx.exec1("SHOW listen_addresses")[0].as<std::string>(), "127.0.0.1");
}

}  // namespace
}  // namespace cdc::scenarios
