#pragma once
#include <filesystem>
#include <optional>
#include <string>

#include "harness/stack/stack_kind.hpp"
#include "harness/stack/topology.hpp"

namespace cdc {

// How the connector writes its records: JsonConverter (the worker's default here), or Avro
// through a schema registry the stack runs (native: Apicurio Registry; compose: its `avro`
// profile; external: CDC_EXTERNAL_SCHEMA_REGISTRY_URL).
enum class Converter { Json, Avro };
std::string to_string(Converter converter);
// "json" or "avro"; anything else is a one-line error naming `source` and the choices.
Converter converter_named(const std::string& name, const std::string& source);

// Which backend brings the stack up, and the run's id. `up` records it in the run directory
// before anything starts, so every later command (down, status, guard, the scenarios) acts
// on the same stack, also after a crash.
struct StackChoice {
  StackKind kind = StackKind::Native;
  // In the name of everything the run creates on a stack it shares with others (connectors,
  // slots, topics, tables, the rows' emails): cleanup removes exactly what carries it.
  std::string run_id{};
  // external: the endpoints file (else only environment variables); compose: the compose
  // file (else compose/docker-compose.yml).
  std::filesystem::path config{};
  // native and compose: how many brokers and workers it runs (external: what it has).
  Topology topology{};
  // native: which Debezium and Kafka (a version set, version_sets.hpp); "" for the default.
  std::string versions{};
  // native: workers with Connect's defaults instead of debezium/worker.properties' test
  // tuning (offset.flush.interval.ms 60 s): --connect-defaults, $CDC_CONNECT_DEFAULTS=1.
  bool connect_defaults = false;
  // --converter, else $CDC_CONVERTER, else json.
  Converter converter = Converter::Json;

  // Others use this stack too: the run creates everything under its run id and removes
  // only that, never the stack itself.
  bool shared() const { return info(kind).shared; }
  std::string name() const { return to_string(kind); }
};

// --stack, else $CDC_STACK, else native; --stack-config, else $CDC_EXTERNAL_CONFIG or
// $CDC_COMPOSE_FILE; the topology as choose_topology says. A name that is not a backend, or a
// topology the backend cannot run, is a one-line error. Draws a new run id.
StackChoice choose_stack(const std::string& flag, const std::filesystem::path& config_flag,
                         const Topology& topology = {}, const std::string& versions = "",
                         bool connect_defaults = false, const std::string& converter = "");

std::string new_run_id();

void save_stack_choice(const std::filesystem::path& run_dir, const StackChoice& choice);
// What `up` recorded; nullopt for a run directory without a stack.
std::optional<StackChoice> load_stack_choice(const std::filesystem::path& run_dir);
void forget_stack_choice(const std::filesystem::path& run_dir);

}  // namespace cdc
