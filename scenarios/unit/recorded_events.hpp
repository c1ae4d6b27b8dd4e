#pragma once
#include <string>
#include <vector>

#include "harness/observer/change_event.hpp"
#include "harness/workload/mutation.hpp"

namespace cdc::unit {

// Real records from Debezium 3.4.1's Postgres connector on Kafka 4.1.1, as the Kafka topic
// held them (recorded/*.json: key, value, offset), decoded by the harness's own decoder.
//   customers-with-schemas.json  JsonConverter schemas.enable=true; snapshot of 1001..1004,
//     insert 1005, update 1001, delete 1002 + tombstone, then one transaction (txId 731:
//     insert 1006, insert 1007, update 1006) and delete 1005 + tombstone.
//   customers-schemaless.json    schemas.enable=false, a later connector on the same table.
std::vector<ChangeEvent> recorded_events(const std::string& file);

// A customers row as row_to_json renders it.
nlohmann::json customer(int id, const char* first, const char* last, const char* email);

// What the workload did to produce customers-with-schemas.json after its snapshot, in
// commit order: txId 729 insert 1005, update 1001, delete 1002; txId 731 insert 1006,
// insert 1007, update 1006; txId 732 delete 1005.
std::vector<Mutation> recorded_mutations();

}  // namespace cdc::unit
