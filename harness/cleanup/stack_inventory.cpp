#include "harness/cleanup/stack_inventory.hpp"

#include <algorithm>

#include <pqxx/pqxx>

#include "harness/common/timeouts.hpp"
#include "harness/connector/connector_lifecycle.hpp"
#include "harness/connector/replication_slot.hpp"
#include "harness/stack/kafka_admin.hpp"

namespace cdc {
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

json sorted(std::vector<std::string> names) {
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<std::string> column(pqxx::nontransaction& tx, const std::string& sql) {
  std::vector<std::string> out;
  for (const auto& row : tx.exec(sql)) out.push_back(row[0].as<std::string>());
  return out;
}

}  // namespace

json stack_inventory(const StackEndpoints& endpoints) {
  json inventory;
  ConnectClient connect(endpoints.connect_url);
  inventory["connectors"] = sorted(list_connectors(connect));
  inventory["replication_slots"] = sorted(replication_slots(endpoints.admin));
  inventory["topics"] = sorted(kafka_topics(endpoints.kafka_bootstrap, scaled(15s)));
  inventory["consumer_groups"] =
      sorted(kafka_consumer_groups(endpoints.kafka_bootstrap, scaled(15s)));
  pqxx::connection conn(endpoints.app.conninfo());
  pqxx::nontransaction tx(conn);
  inventory["tables"] = sorted(column(
      tx,
      "SELECT c.relname || ' (' || c.relkind::text || ')' FROM pg_class c JOIN pg_namespace n ON "
      "n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind IN ('r', 'S', 'v', 'p')"));
  inventory["publications"] = sorted(column(tx, "SELECT pubname FROM pg_publication"));
  const auto customers = tx.exec1(
      "SELECT count(*), coalesce(md5(string_agg(c::text, ',' ORDER BY id)), '') FROM "
      "public.customers c");
  inventory["customers"] = {{"rows", customers[0].as<long>()},
                            {"md5", customers[1].as<std::string>()}};
  return inventory;
}

}  // namespace cdc
