#include "harness/connector/rendering_rules.hpp"

#include <pqxx/pqxx>

namespace cdc {

MatchRules rendering_rules(const PostgresEndpoint& postgres, const std::string& table,
                           const ConnectorConfig& connector, Delivery delivery) {
  pqxx::connection conn(postgres.conninfo());
  pqxx::nontransaction tx(conn);
  const auto identity =
      tx.exec_params1("SELECT relreplident::text FROM pg_class WHERE oid = $1::regclass", table)[0];
  return MatchRules{.identity = identity.as<std::string>() == "f" ? ReplicaIdentity::Full
                                                                  : ReplicaIdentity::Default,
                    .tombstones = connector.setting("tombstones.on.delete", "true") == "true"
                                      ? Tombstones::AfterDelete
                                      : Tombstones::None,
                    .delivery = delivery};
}

}  // namespace cdc
