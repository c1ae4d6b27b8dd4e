#pragma once
#include <optional>
#include <string>

#include "harness/stack/endpoints.hpp"

namespace cdc {

// The connector class every Connect worker of the pipeline must offer.
inline constexpr const char* kDebeziumPostgresConnectorClass =
    "io.debezium.connector.postgresql.PostgresConnector";

// What a GET /connector-plugins answer is: Connect's plugin list with Debezium's Postgres
// connector, one without it, or not Connect's plugin list at all (another server's page).
enum class PluginList { WithDebeziumPostgres, WithoutDebeziumPostgres, NotAPluginList };
PluginList read_plugin_list(const std::string& connector_plugins_body);

// An answer that is not what was asked for, on one line and shortened (as `shortened`), for
// an error message.
std::string answer_excerpt(const std::string& body);

// One quick look at a component someone else runs: nullopt when it answers as the pipeline
// needs, else what is wrong in one line (never a password).
std::optional<std::string> postgres_problem(const PostgresEndpoint& endpoint);
// The one value a query returns (SHOW server_version), as text.
std::string sql_value(const PostgresEndpoint& endpoint, const std::string& query);
std::optional<std::string> kafka_problem(const std::string& bootstrap);
// Connect answers and has Debezium's Postgres connector on its plugin path.
std::optional<std::string> connect_problem(const std::string& url);

}  // namespace cdc
