#pragma once
#include <filesystem>
#include <string>

#include "harness/stack/endpoints.hpp"

namespace cdc::external {

// A stack someone else runs is named by five settings, each an environment variable or a
// KEY=VALUE line of the same name in a file (the environment wins):
//   CDC_EXTERNAL_PG_ADMIN       Postgres connection string of a role that may drop the
//                               run's replication slots (superuser or REPLICATION)
//   CDC_EXTERNAL_PG_APP         ... of the role that owns public.customers (the workload)
//   CDC_EXTERNAL_PG_DEBEZIUM    ... of the role Debezium connects as (checked, not used to write)
//   CDC_EXTERNAL_KAFKA_BOOTSTRAP  host:port[,host:port...]
//   CDC_EXTERNAL_CONNECT_URL      http://host:port of a Connect worker with Debezium
// Connection strings are libpq's: postgresql://user:password@host:port/dbname or key=value.
// A missing or malformed setting is a HarnessError naming it and the fix.
StackEndpoints read_external_endpoints(const std::filesystem::path& file);

// Those five lines for a stack the harness runs, so another run (another process, another
// machine with a tunnel) can point at it with CDC_STACK=external. Holds passwords: 0600.
std::string external_settings_text(const StackEndpoints& endpoints);

// One connection string, parsed by libpq; `setting` names it in errors.
PostgresEndpoint parse_postgres_connection(const std::string& setting, const std::string& text);

}  // namespace cdc::external
