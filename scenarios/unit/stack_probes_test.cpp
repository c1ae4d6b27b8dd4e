// What answers on Connect's REST port: its plugin list with or without Debezium's Postgres
// connector, or another server's page (once, in CI: a metrics agent's, on a port taken by
// another run). Recorded answers: Connect 4.1.1 with Debezium 3.4.1, and the JMX exporter
// agent's index page.
#include "harness/stack/stack_probes.hpp"

#include <gtest/gtest.h>
#include <httplib.h>

#include <filesystem>
#include <thread>

#include "harness/common/files.hpp"

namespace cdc::unit {
namespace {

std::string recorded(const std::string& name) {
  return read_file(std::filesystem::path(CDC_RECORDED_DIR) / name);
}

TEST(PluginList, ConnectsAnswerWithDebeziumListsIt) {
  EXPECT_EQ(read_plugin_list(recorded("connect-connector-plugins.json")),
            PluginList::WithDebeziumPostgres);
}

TEST(PluginList, ConnectsAnswerWithoutDebeziumIsAPluginListWithoutIt) {
  std::string answer = recorded("connect-connector-plugins.json");
  answer.replace(answer.find("postgresql.PostgresConnector"), 28, "mysql.MySqlConnector");
  EXPECT_EQ(read_plugin_list(answer), PluginList::WithoutDebeziumPostgres);
  EXPECT_EQ(read_plugin_list("[]"), PluginList::WithoutDebeziumPostgres);
}

TEST(PluginList, AnotherServersPageOrAnErrorIsNotAPluginList) {
  EXPECT_EQ(read_plugin_list(recorded("metrics-agent-index.html")), PluginList::NotAPluginList);
  EXPECT_EQ(read_plugin_list(R"({"error_code":404,"message":"HTTP 404 Not Found"})"),
            PluginList::NotAPluginList);
  EXPECT_EQ(read_plugin_list(R"([{"name":"a"}])"), PluginList::NotAPluginList);
}

TEST(PluginList, AnExcerptIsOneLineAndShort) {
  const std::string excerpt = answer_excerpt(recorded("metrics-agent-index.html"));
  EXPECT_EQ(excerpt.find('\n'), std::string::npos);
  EXPECT_LT(excerpt.size(), 120U);
  EXPECT_NE(excerpt.find("Prometheus Java Client"), std::string::npos);
}

// An external stack's Connect URL that points at another server says so, instead of asking
// for a Debezium install.
TEST(ConnectProblem, AURLThatIsNotConnectsRestApiIsNamedAsSuch) {
  httplib::Server server;
  const std::string page = recorded("metrics-agent-index.html");
  server.Get("/.*", [&](const httplib::Request&, httplib::Response& response) {
    response.set_content(page, "text/html");
  });
  const int port = server.bind_to_any_port("127.0.0.1");
  std::thread serving([&] { server.listen_after_bind(); });  // bound and listening already
  const auto problem = connect_problem("http://127.0.0.1:" + std::to_string(port));
  server.stop();
  serving.join();
  ASSERT_TRUE(problem.has_value());
  EXPECT_NE(problem->find("is not Kafka Connect's REST API"), std::string::npos) << *problem;
  EXPECT_NE(problem->find("Prometheus Java Client"), std::string::npos) << *problem;
  EXPECT_EQ(problem->find("install debezium"), std::string::npos) << *problem;
}

}  // namespace
}  // namespace cdc::unit
