#pragma once
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace cdc {

struct PostgresEndpoint {
  std::string host{};
  int port = 0;
  std::string dbname{};
  std::string user{};
  std::string password;  // never printed: use describe() in messages

  std::string conninfo() const;  // libpq key=value form, for connecting
  std::string describe() const;  // user@host:port/dbname, for people
};

// What a running stack offers, whichever backend brought it up. Scenarios and the
// connector room see only this.
struct StackEndpoints {
  PostgresEndpoint admin;     // superuser: schema set-up and replication-slot clean-up
  PostgresEndpoint app;       // owns public.customers: the workload writes as this role
  PostgresEndpoint debezium;  // least-privilege replication role that Connect logs in as
  std::string kafka_bootstrap{};
  std::string connect_url{};
  // Toxiproxy's API where the stack carries Connect's connections through proxies (native:
  // kPostgresProxy, kKafkaProxy); empty where it does not, and network faults cannot run.
  std::string toxiproxy_url{};
  // Every Connect worker's metrics in Prometheus's text format (native: the JMX exporter each
  // worker carries; external: CDC_EXTERNAL_CONNECT_METRICS_URL); empty where there are none,
  // and scenario files settle on Connect's committed offsets instead.
  std::vector<std::string> connect_metrics_urls{};
  // The schema registry Avro converters write to, as this machine reaches it (native:
  // Apicurio with --converter avro; external: CDC_EXTERNAL_SCHEMA_REGISTRY_URL); empty where
  // the connector's records are JSON.
  std::string schema_registry_url{};
  // The same registry as Connect's workers reach it (compose: by its service name); empty:
  // as above.
  std::string connect_schema_registry_url{};

  const std::string& registry_url_for_connect() const {
    return connect_schema_registry_url.empty() ? schema_registry_url : connect_schema_registry_url;
  }
};

// Endpoints persist in the run directory: hosts and ports in endpoints.json, passwords in a
// 0600 properties file under secrets/, so that test processes and later commands find them.
nlohmann::json endpoints_to_json(const StackEndpoints& endpoints);  // no passwords
void save_endpoints(const std::filesystem::path& run_dir, const StackEndpoints& endpoints);
StackEndpoints load_endpoints(const std::filesystem::path& run_dir);

// A fresh password for a role of a stack the harness creates: 24 letters and digits.
std::string random_password();

// On a Postgres the harness creates: the superuser cdc_admin and the roles of
// postgres/init.sql (cdc_app, debezium) in database cdctest, each with a fresh password.
void set_harness_roles(StackEndpoints& endpoints, const std::string& host, int port,
                       const std::string& admin_dbname);

std::filesystem::path credentials_file(const std::filesystem::path& run_dir);

}  // namespace cdc
