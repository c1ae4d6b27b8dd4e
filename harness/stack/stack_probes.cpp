#include "harness/stack/stack_probes.hpp"

#include <httplib.h>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "harness/common/text.hpp"
#include "harness/common/timeouts.hpp"
#include "harness/stack/kafka_admin.hpp"

namespace cdc {
using namespace std::chrono_literals;

bool lists_debezium_postgres(const std::string& connector_plugins_body) {
  const auto plugins = nlohmann::json::parse(connector_plugins_body, nullptr, false);
  if (!plugins.is_array()) return false;
  for (const auto& plugin : plugins) {
    if (plugin.is_object() && plugin.value("class", "") == kDebeziumPostgresConnectorClass)
      return true;
  }
  return false;
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
  if (!lists_debezium_postgres(response->body)) {
    return "Kafka Connect at " + url +
           " has no Debezium Postgres connector on its plugin path: install "
           "debezium-connector-postgres there";
  }
  return std::nullopt;
}

std::string sql_value(const PostgresEndpoint& endpoint, const std::string& query) {
  pqxx::connection conn(endpoint.conninfo());
  pqxx::nontransaction tx(conn);
  return tx.exec1(query)[0].c_str();
}

}  // namespace cdc
