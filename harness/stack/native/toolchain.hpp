#pragma once
#include <filesystem>
#include <optional>
#include <string>

namespace cdc::native {

// Everything the native stack runs, found before anything starts: a missing piece is one
// line naming it and how to get it, and nothing is left half-started.
struct Toolchain {
  std::filesystem::path java{};
  std::string java_version{};               // what `java -version` says: names the build
  std::filesystem::path pg_bindir{};        // initdb, pg_ctl
  std::filesystem::path pg_templates{};     // initdb's output, made once, copied per run
  std::string version_set{};                // which jars (ci/jars/versions/)
  std::filesystem::path jars{};             // that set's cache: jars, class archives, storage
  std::filesystem::path kafka_jars{};       // broker + Connect worker classpath
  std::filesystem::path connect_plugins{};  // plugin.path holding Debezium's Postgres connector
  std::filesystem::path toxiproxy{};        // toxiproxy-server, on Connect's network paths
  std::filesystem::path metrics_agent{};    // Prometheus JMX exporter, on each Connect worker
  // With --converter avro (else empty): Apicurio Registry's runner jar, and the plugin
  // directory of its AvroConverter (ci/install-schema-registry.sh).
  std::filesystem::path schema_registry_jar{};
  std::filesystem::path avro_converter_plugins{};
  std::optional<std::string> pg_os_user{};  // set when running as root: Postgres refuses root
};

// The default version set unless another is named (version_sets.hpp); with `schema_registry`,
// the registry and the Avro converter too.
Toolchain locate_toolchain(const std::string& version_set = "", bool schema_registry = false);

// Connect's plugin.path: Debezium's connector, and the Avro converter when there is one.
std::string connect_plugin_path(const Toolchain& tools);

// Where ci/install-schema-registry.sh puts Apicurio Registry and its AvroConverter.
std::filesystem::path schema_registry_install_path();

// The major version in `java -version`'s output (8 for "1.8.0_392", 17 for "17.0.9"); 0 when
// it names none.
int java_major_version(const std::string& version_output);

// Where ci/install-toxiproxy.sh puts Toxiproxy's server.
std::filesystem::path toxiproxy_install_path();

// Where ci/install-metrics-agent.sh puts the Prometheus JMX exporter's Java agent.
std::filesystem::path metrics_agent_install_path();

// Where ci/resolve-jars.sh puts the jars of a version set ($CDC_HARNESS_JARS overrides it).
std::filesystem::path jars_dir(const std::string& version_set);

}  // namespace cdc::native
