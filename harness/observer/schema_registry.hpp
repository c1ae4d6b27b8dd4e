#pragma once
#include <cstdint>
#include <string>

namespace cdc {

// The schema registry this process reads Avro records with (the stack's endpoints name it):
// set once where the endpoints are loaded; "" when the stack has none.
void use_schema_registry(const std::string& url);

// A writer schema's JSON text by id, from the registry's Confluent-compatible API
// (GET /apis/ccompat/v7/schemas/ids/{id}), fetched once per process. Throws DecodeError when
// no registry is known or it does not answer.
std::string fetch_writer_schema(int32_t id);

}  // namespace cdc
