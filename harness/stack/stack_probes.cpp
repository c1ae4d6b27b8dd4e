#include "harness/stack/stack_probes.hpp"

#include <httplib.h>

#include <pqxx/pqxx>

#include "harness/common/timeouts.hpp"
#include "harness/stack/kafka_admin.hpp"

namespace cdc {
using namespace std::chrono_literals;

namespace {

std::string first_line(const std::string& text) {
  const auto end = text.find('\n');
  return end == std::string::npos ? text : text.substr(0, end);
}

}  // namespace

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
  if (response->body.find("io.debezium.connector.postgresql.PostgresConnector") ==
      std::string::npos) {
    return "Kafka Connect at " + url +
           " has no Debezium Postgres connector on its plugin path: install "
           "debezium-connector-postgres there";
  }
  return std::nullopt;
}

}  // namespace cdc
