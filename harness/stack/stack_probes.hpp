#pragma once
#include <optional>
#include <string>

#include "harness/stack/endpoints.hpp"

namespace cdc {

// The connector class every Connect worker of the pipeline must offer.
inline constexpr const char* kDebeziumPostgresConnectorClass =
    "io.debezium.connector.postgresql.PostgresConnector";

// Whether a GET /connector-plugins answer lists it.
bool lists_debezium_postgres(const std::string& connector_plugins_body);

// One quick look at a component someone else runs: nullopt when it answers as the pipeline
// needs, else what is wrong in one line (never a password).
std::optional<std::string> postgres_problem(const PostgresEndpoint& endpoint);
// The one value a query returns (SHOW server_version), as text.
std::string sql_value(const PostgresEndpoint& endpoint, const std::string& query);
std::optional<std::string> kafka_problem(const std::string& bootstrap);
// Connect answers and has Debezium's Postgres connector on its plugin path.
std::optional<std::string> connect_problem(const std::string& url);

}  // namespace cdc
