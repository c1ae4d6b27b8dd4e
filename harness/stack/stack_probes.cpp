#include "harness/stack/stack_probes.hpp"

#include <algorithm>

#include <httplib.h>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "harness/common/text.hpp"
#include "harness/common/timeouts.hpp"
#include "harness/stack/kafka_admin.hpp"

namespace cdc {
using namespace std::chrono_literals;

PluginList read_plugin_list(const std::string& connector_plugins_body) {
  const auto plugins = nlohmann::json::parse(connector_plugins_body, nullptr, false);
  if (!plugins.is_array()) return PluginList::NotAPluginList;
  for (const auto& plugin : plugins) {
    if (!plugin.is_object() || !plugin.contains("class")) return PluginList::NotAPluginList;
    if (plugin.value("class", "") == kDebeziumPostgresConnectorClass)
      return PluginList::WithDebeziumPostgres;
  }
  return PluginList::WithoutDebeziumPostgres;
}

std::string answer_excerpt(const std::string& body) {
  std::string line = body;
  std::replace_if(
      line.begin(), line.end(), [](char c) { return c == '\n' || c == '\r' || c == '\t'; }, ' ');
  return shortened(line);
}

std::optional<std::string> postgres_problem(const PostgresEndpoint& endpoint) {
  try {
    pqxx::connection conn(endpoint.conninfo());
    pqxx::nontransaction tx(conn);
    tx.exec("SELECT 1");
    return std::nullopt;
  } catch (const std::exception& e) {
    return "Postgres refused " + endpoint.describe() + ": " + first_line(e.what());
  }
}

std::optional<std::string> kafka_problem(const std::string& bootstrap) {
  try {
    kafka_topics(bootstrap, scaled(10s));
    return std::nullopt;
  } catch (const std::exception& e) {
    return first_line(e.what());
  }
}

std::optional<std::string> connect_problem(const std::string& url) {
  httplib::Client client(url);
  client.set_connection_timeout(scaled(5s));
  client.set_read_timeout(scaled(10s));
  const auto response = client.Get("/connector-plugins");
  if (!response) {
    return "Kafka Connect at " + url + " does not answer: " + httplib::to_string(response.error());
  }
  if (response->status != 200) {
    return "Kafka Connect at " + url + " answered GET /connector-plugins with HTTP " +
           std::to_string(response->status);
  }
  switch (read_plugin_list(response->body)) {
    case PluginList::WithDebeziumPostgres:
      return std::nullopt;
    case PluginList::WithoutDebeziumPostgres:
      return "Kafka Connect at " + url +
             " has no Debezium Postgres connector on its plugin path: install "
             "debezium-connector-postgres there";
    case PluginList::NotAPluginList:
      break;
  }
  return url + " is not Kafka Connect's REST API: GET /connector-plugins answered \"" +
         answer_excerpt(response->body) + "\"; point the setting at Connect's REST port";
}

std::string sql_value(const PostgresEndpoint& endpoint, const std::string& query) {
  pqxx::connection conn(endpoint.conninfo());
  pqxx::nontransaction tx(conn);
  return tx.exec1(query)[0].c_str();
}

}  // namespace cdc
