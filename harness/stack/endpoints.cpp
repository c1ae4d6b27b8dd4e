#include "harness/stack/endpoints.hpp"

#include <map>
#include <random>

#include "harness/common/errors.hpp"
#include "harness/common/files.hpp"
#include "harness/common/run_dir.hpp"

namespace cdc {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string quote_conninfo(const std::string& value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

json postgres_to_json(const PostgresEndpoint& pg) {
  return {{"host", pg.host}, {"port", pg.port}, {"dbname", pg.dbname}, {"user", pg.user}};
}

PostgresEndpoint postgres_from_json(const json& j,
                                    const std::map<std::string, std::string>& passwords,
                                    const std::string& role) {
  PostgresEndpoint pg{j.at("host"), j.at("port"), j.at("dbname"), j.at("user"), ""};
  if (auto it = passwords.find(role + ".password"); it != passwords.end()) pg.password = it->second;
  return pg;
}

}  // namespace

std::string random_password() {
  static const char* alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";
  std::random_device random;
  std::string password;
  for (int i = 0; i < 24; ++i) password += alphabet[random() % 56];
  return password;
}

void set_harness_roles(StackEndpoints& endpoints, const std::string& host, int port,
                       const std::string& admin_dbname) {
  endpoints.admin = {host, port, admin_dbname, "cdc_admin", random_password()};
  endpoints.app = {host, port, "cdctest", "cdc_app", random_password()};
  endpoints.debezium = {host, port, "cdctest", "debezium", random_password()};
}

std::string PostgresEndpoint::conninfo() const {
  return "host=" + quote_conninfo(host) + " port=" + std::to_string(port) +
         " dbname=" + quote_conninfo(dbname) + " user=" + quote_conninfo(user) +
         " password=" + quote_conninfo(password) +
         " connect_timeout=10 application_name=cdc-harness";
}

std::string PostgresEndpoint::describe() const {
  return user + "@" + host + ":" + std::to_string(port) + "/" + dbname;
}

fs::path credentials_file(const fs::path& run_dir) {
  return RunDir(run_dir).credentials();
}

json endpoints_to_json(const StackEndpoints& e) {
  return {{"postgres",
           {{"admin", postgres_to_json(e.admin)},
            {"app", postgres_to_json(e.app)},
            {"debezium", postgres_to_json(e.debezium)}}},
          {"kafka_bootstrap", e.kafka_bootstrap},
          {"connect_url", e.connect_url},
          {"toxiproxy_url", e.toxiproxy_url},
          {"connect_metrics_urls", e.connect_metrics_urls},
          {"schema_registry_url", e.schema_registry_url},
          {"connect_schema_registry_url", e.connect_schema_registry_url}};
}

void save_endpoints(const fs::path& run_dir, const StackEndpoints& e) {
  fs::create_directories(credentials_file(run_dir).parent_path());
  fs::permissions(credentials_file(run_dir).parent_path(), fs::perms::owner_all);
  write_file(credentials_file(run_dir),
             "admin.password=" + e.admin.password + "\napp.password=" + e.app.password +
                 "\ndebezium.password=" + e.debezium.password + "\n",
             fs::perms::owner_read | fs::perms::owner_write);
  write_file(RunDir(run_dir).endpoints(), endpoints_to_json(e).dump(2) + "\n");
}

StackEndpoints load_endpoints(const fs::path& run_dir) {
  const fs::path file = RunDir(run_dir).endpoints();
  if (!fs::exists(file)) {
    throw HarnessError("no running stack in " + run_dir.string() +
                       " (no endpoints.json): start one with `cdc-harness up`");
  }
  const json j = json::parse(read_file(file));
  const auto passwords = read_key_values(credentials_file(run_dir));
  const json& pg = j.at("postgres");
  return StackEndpoints{postgres_from_json(pg.at("admin"), passwords, "admin"),
                        postgres_from_json(pg.at("app"), passwords, "app"),
                        postgres_from_json(pg.at("debezium"), passwords, "debezium"),
                        j.at("kafka_bootstrap"),
                        j.at("connect_url"),
                        j.value("toxiproxy_url", ""),
                        j.value("connect_metrics_urls", std::vector<std::string>{}),
                        j.value("schema_registry_url", ""),
                        j.value("connect_schema_registry_url", "")};
}

}  // namespace cdc
