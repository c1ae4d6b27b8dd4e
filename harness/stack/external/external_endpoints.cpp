#include "harness/stack/external/external_endpoints.hpp"

#include <libpq-fe.h>

#include <cstdlib>
#include <map>
#include <vector>

#include "harness/common/errors.hpp"
#include "harness/common/files.hpp"

namespace cdc::external {
namespace fs = std::filesystem;

namespace {

const char* const kExample[][2] = {
    {"CDC_EXTERNAL_PG_ADMIN", "postgresql://postgres:...@db.example:5432/cdctest"},
    {"CDC_EXTERNAL_PG_APP", "postgresql://cdc_app:...@db.example:5432/cdctest"},
    {"CDC_EXTERNAL_PG_DEBEZIUM", "postgresql://debezium:...@db.example:5432/cdctest"},
    {"CDC_EXTERNAL_KAFKA_BOOTSTRAP", "broker1.example:9092,broker2.example:9092"},
    {"CDC_EXTERNAL_CONNECT_URL", "http://connect.example:8083"},
};

std::string setting(const std::map<std::string, std::string>& file_values, const fs::path& file,
                    const char* name, const char* example) {
  if (const char* value = std::getenv(name); value != nullptr && *value != '\0') return value;
  if (auto it = file_values.find(name); it != file_values.end() && !it->second.empty())
    return it->second;
  throw HarnessError(std::string(name) + " is not set" +
                     (file.empty() ? " (and no CDC_EXTERNAL_CONFIG file names it)"
                                   : " in the environment or in " + file.string()) +
                     ": the external stack needs it, e.g. " + name + "=" + example);
}

std::string joined(const std::vector<std::string>& parts, const std::string& separator) {
  std::string out;
  for (const auto& part : parts) out += (out.empty() ? "" : separator) + part;
  return out;
}

std::string optional_setting(const std::map<std::string, std::string>& file_values,
                             const char* name) {
  if (const char* value = std::getenv(name); value != nullptr && *value != '\0') return value;
  if (auto it = file_values.find(name); it != file_values.end()) return it->second;
  return "";
}

std::string percent_encoded(const std::string& text) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string url_of(const PostgresEndpoint& pg) {
  return "postgresql://" + percent_encoded(pg.user) + ":" + percent_encoded(pg.password) + "@" +
         pg.host + ":" + std::to_string(pg.port) + "/" + percent_encoded(pg.dbname);
}

}  // namespace

PostgresEndpoint parse_postgres_connection(const std::string& name, const std::string& text) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(text.c_str(), &error);
  if (options == nullptr) {
    // libpq's message names the part it could not read; it does not echo the string.
    std::string message = error ? error : "out of memory";
    if (error) PQfreemem(error);
    while (!message.empty() && message.back() == '\n') message.pop_back();
    throw HarnessError(name + " is not a Postgres connection string (" + message +
                       "): use postgresql://user:password@host:port/dbname");
  }
  std::map<std::string, std::string> parts;
  for (auto* o = options; o->keyword != nullptr; ++o) {
    if (o->val != nullptr) parts[o->keyword] = o->val;
  }
  PQconninfoFree(options);
  PostgresEndpoint pg;
  pg.host = parts["host"];
  pg.user = parts["user"];
  pg.dbname = parts["dbname"].empty() ? pg.user : parts["dbname"];
  pg.password = parts["password"];
  const std::string port = parts["port"].empty() ? "5432" : parts["port"];
  pg.port = std::atoi(port.c_str());
  if (pg.host.empty() || pg.user.empty() || pg.port <= 0) {
    throw HarnessError(name + " must name a host, a port and a user (" +
                       (pg.host.empty()   ? "no host"
                        : pg.user.empty() ? "no user"
                                          : "bad port") +
                       "): use postgresql://user:password@host:port/dbname");
  }
  return pg;
}

StackEndpoints read_external_endpoints(const fs::path& file) {
  const auto values = file.empty() ? std::map<std::string, std::string>() : read_key_values(file);
  auto get = [&](int i) { return setting(values, file, kExample[i][0], kExample[i][1]); };
  StackEndpoints endpoints;
  endpoints.admin = parse_postgres_connection(kExample[0][0], get(0));
  endpoints.app = parse_postgres_connection(kExample[1][0], get(1));
  endpoints.debezium = parse_postgres_connection(kExample[2][0], get(2));
  endpoints.kafka_bootstrap = get(3);
  endpoints.connect_url = get(4);
  while (!endpoints.connect_url.empty() && endpoints.connect_url.back() == '/')
    endpoints.connect_url.pop_back();
  if (endpoints.connect_url.rfind("http://", 0) != 0 &&
      endpoints.connect_url.rfind("https://", 0) != 0) {
    throw HarnessError("CDC_EXTERNAL_CONNECT_URL must start with http:// or https://, not '" +
                       endpoints.connect_url + "'");
  }
  // Optional: the workers' Prometheus metrics (comma-separated, one per worker).
  std::string metrics = optional_setting(values, "CDC_EXTERNAL_CONNECT_METRICS_URL");
  for (size_t at = 0; !metrics.empty() && at <= metrics.size();) {
    const size_t comma = std::min(metrics.find(',', at), metrics.size());
    const std::string url = metrics.substr(at, comma - at);
    if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0) {
      throw HarnessError(
          "CDC_EXTERNAL_CONNECT_METRICS_URL must list http(s):// URLs of the workers' "
          "Prometheus metrics (e.g. http://connect.example:9404/metrics), not '" +
          url + "'");
    }
    endpoints.connect_metrics_urls.push_back(url);
    at = comma + 1;
  }
  // Optional: the schema registry an Avro converter writes to (its Confluent-compatible API
  // serves the writer schemas the observer reads records with).
  endpoints.schema_registry_url = optional_setting(values, "CDC_EXTERNAL_SCHEMA_REGISTRY_URL");
  while (!endpoints.schema_registry_url.empty() && endpoints.schema_registry_url.back() == '/')
    endpoints.schema_registry_url.pop_back();
  if (!endpoints.schema_registry_url.empty() &&
      endpoints.schema_registry_url.rfind("http://", 0) != 0 &&
      endpoints.schema_registry_url.rfind("https://", 0) != 0) {
    throw HarnessError(
        "CDC_EXTERNAL_SCHEMA_REGISTRY_URL must be the registry's http(s):// base URL (e.g. "
        "http://registry.example:8080), not '" +
        endpoints.schema_registry_url + "'");
  }
  return endpoints;
}

std::string external_settings_text(const StackEndpoints& e) {
  return "# Point another run at this stack: CDC_STACK=external CDC_EXTERNAL_CONFIG=<this file>\n"
         "CDC_EXTERNAL_PG_ADMIN=" +
         url_of(e.admin) + "\nCDC_EXTERNAL_PG_APP=" + url_of(e.app) +
         "\nCDC_EXTERNAL_PG_DEBEZIUM=" + url_of(e.debezium) +
         "\nCDC_EXTERNAL_KAFKA_BOOTSTRAP=" + e.kafka_bootstrap +
         "\nCDC_EXTERNAL_CONNECT_URL=" + e.connect_url + "\n" +
         (e.connect_metrics_urls.empty()
              ? std::string()
              : "CDC_EXTERNAL_CONNECT_METRICS_URL=" + joined(e.connect_metrics_urls, ",") + "\n") +
         (e.schema_registry_url.empty()
              ? std::string()
              : "CDC_EXTERNAL_SCHEMA_REGISTRY_URL=" + e.schema_registry_url + "\n");
}

}  // namespace cdc::external
