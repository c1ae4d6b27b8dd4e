#include "harness/connector/converter_settings.hpp"

#include "harness/common/errors.hpp"

namespace cdc {

ConnectorConfig with_converter(const ConnectorConfig& connector, Converter converter,
                               const StackEndpoints& endpoints) {
  if (converter == Converter::Json) return connector;
  if (endpoints.schema_registry_url.empty()) {
    throw HarnessError(
        "--converter avro needs a schema registry, and this stack names none: on an external "
        "stack set CDC_EXTERNAL_SCHEMA_REGISTRY_URL to the registry's base URL");
  }
  ConnectorConfig avro = connector;
  for (const std::string which : {"key", "value"}) {
    const std::string c = which + ".converter";
    avro.config[c] = "io.apicurio.registry.utils.converter.AvroConverter";
    avro.config[c + ".apicurio.registry.url"] =
        endpoints.registry_url_for_connect() + "/apis/registry/v2";
    avro.config[c + ".apicurio.registry.auto-register"] = "true";
    avro.config[c + ".apicurio.registry.find-latest"] = "true";
    // The Confluent wire format: the id in the record, not in headers, and the id the
    // registry's Confluent-compatible API serves schemas by.
    avro.config[c + ".apicurio.registry.headers.enabled"] = "false";
    avro.config[c + ".apicurio.registry.as-confluent"] = "true";
    avro.config[c + ".apicurio.registry.use-id"] = "contentId";
  }
  // Debezium's schema names (e.g. cdctest.public.customers.Value) would otherwise hold
  // characters Avro refuses.
  avro.config["schema.name.adjustment.mode"] = "avro";
  return avro;
}

}  // namespace cdc
