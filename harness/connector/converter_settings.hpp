#pragma once
#include "harness/connector/connector_config.hpp"
#include "harness/stack/endpoints.hpp"
#include "harness/stack/stack_choice.hpp"

namespace cdc {

// The connector with the converter the run asked for. json: as its file says. avro: keys and
// values through Apicurio's AvroConverter into the stack's schema registry, in the Confluent
// wire format the observer reads (a 0 byte, the schema's content id, the Avro datum), with
// schema names Avro accepts. Throws a HarnessError when the stack names no registry.
ConnectorConfig with_converter(const ConnectorConfig& connector, Converter converter,
                               const StackEndpoints& endpoints);

}  // namespace cdc
