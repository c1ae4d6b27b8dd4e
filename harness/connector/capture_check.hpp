#pragma once
#include <map>
#include <string>
#include <vector>

#include "harness/connector/connector_config.hpp"
#include "harness/stack/endpoints.hpp"

namespace cdc {

// What a connector's database holds that decides what it captures.
struct CaptureFacts {
  std::vector<std::string> tables{};              // "schema.table", every user table
  std::vector<std::string> publication_tables{};  // those in the connector's publication
  bool publication_exists = false;
  // Tables whose updates and deletes have no replica identity to carry: "schema.table" ->
  // why ("no primary key and REPLICA IDENTITY DEFAULT", "REPLICA IDENTITY NOTHING").
  std::map<std::string, std::string> without_identity{};
};

// One line per way the config captures nothing or less than it names: an entry of
// table.include.list that matches no table (with the tables it could have meant), and a
// table it includes that its publication leaves out while Debezium does not manage the
// publication, and a table it includes whose updates and deletes have no replica identity
// (unless the connector skips both). Empty when the config captures what it says.
std::vector<std::string> capture_warnings(const ConnectorConfig& connector,
                                          const CaptureFacts& facts);

// The facts, read from the database the connector streams (through `admin`).
CaptureFacts read_capture_facts(const PostgresEndpoint& admin, const ConnectorConfig& connector);

}  // namespace cdc
