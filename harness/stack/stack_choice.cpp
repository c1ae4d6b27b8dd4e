#include "harness/stack/stack_choice.hpp"

#include <cstdlib>
#include <random>

#include <nlohmann/json.hpp>

#include "harness/common/errors.hpp"
#include "harness/common/files.hpp"
#include "harness/common/run_dir.hpp"
#include "harness/stack/version_sets.hpp"

namespace cdc {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string env_or_empty(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

fs::path choice_file(const fs::path& run_dir) {
  return RunDir(run_dir).stack_choice();
}

}  // namespace

std::string to_string(Converter converter) {
  return converter == Converter::Avro ? "avro" : "json";
}

Converter converter_named(const std::string& name, const std::string& source) {
  if (name == "json") return Converter::Json;
  if (name == "avro") return Converter::Avro;
  throw HarnessError("unknown converter '" + name + "' (" + source +
                     "): the converters are json (JsonConverter) and avro (Avro through a "
                     "schema registry)");
}

std::string new_run_id() {
  static const char* alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::random_device random;
  std::string id = "r";  // starts with a letter: it ends up in SQL identifiers
  for (int i = 0; i < 7; ++i) id += alphabet[random() % 36];
  return id;
}

StackChoice choose_stack(const std::string& flag, const fs::path& config_flag,
                         const Topology& topology, const std::string& versions,
                         bool connect_defaults, const std::string& converter) {
  StackChoice choice;
  const std::string from_env = env_or_empty("CDC_STACK");
  choice.kind = !flag.empty()       ? stack_kind_named(flag)
                : !from_env.empty() ? stack_kind_named(from_env, "from CDC_STACK")
                                    : StackKind::Native;
  choice.run_id = new_run_id();
  const char* config_env = info(choice.kind).config_env;
  const std::string from_config_env = config_env ? env_or_empty(config_env) : "";
  if (!config_flag.empty()) {
    choice.config = fs::absolute(config_flag);
  } else if (!from_config_env.empty()) {
    choice.config = fs::absolute(from_config_env);
  } else if (choice.kind == StackKind::Compose) {
    choice.config = fs::path(CDC_SOURCE_DIR) / "compose" / "docker-compose.yml";
  }
  choice.topology = topology;
  choice.versions = versions.empty() ? default_version_set() : versions;
  choice.connect_defaults = connect_defaults || env_or_empty("CDC_CONNECT_DEFAULTS") == "1";
  const std::string converter_env = env_or_empty("CDC_CONVERTER");
  choice.converter = !converter.empty()       ? converter_named(converter, "--converter")
                     : !converter_env.empty() ? converter_named(converter_env, "CDC_CONVERTER")
                                              : Converter::Json;
  if (choice.kind != StackKind::Native && choice.connect_defaults) {
    throw HarnessError(
        "--connect-defaults (or $CDC_CONNECT_DEFAULTS) sets up the workers the "
        "native stack starts; the " +
        choice.name() + " stack's worker runs with what it has: drop it, or use --stack native");
  }
  // Compose takes the set's versions as its images' tags (CDC_DEBEZIUM_VERSION, CDC_KAFKA_VERSION).
  if (choice.kind == StackKind::External && choice.versions != default_version_set()) {
    throw HarnessError("the external stack runs the versions it has, so version set " +
                       choice.versions +
                       " applies to the stacks the harness starts only: use --stack native or "
                       "compose, or drop --versions / $CDC_VERSIONS");
  }
  if (choice.kind == StackKind::External && topology.clustered()) {
    throw HarnessError(
        "--brokers and --workers (and $CDC_BROKERS, $CDC_WORKERS) size a stack the "
        "harness runs: an external stack has what it has; drop them");
  }
  if (choice.kind == StackKind::Compose && topology.clustered() && !(topology == Topology{3, 2})) {
    throw HarnessError(
        "the compose stack runs 1 broker and 1 worker, or 3 and 2 (its cluster "
        "file), not " +
        topology.describe() + ": use --brokers 3 --workers 2, or the native stack");
  }
  if (!choice.config.empty() && !fs::exists(choice.config)) {
    throw HarnessError("the " + choice.name() + " stack's config file " + choice.config.string() +
                       " does not exist: check --stack-config" +
                       (config_env ? std::string(" / ") + config_env : ""));
  }
  return choice;
}

void save_stack_choice(const fs::path& run_dir, const StackChoice& choice) {
  fs::create_directories(run_dir);
  write_file(choice_file(run_dir), json{{"backend", choice.name()},
                                        {"run_id", choice.run_id},
                                        {"config", choice.config.string()},
                                        {"brokers", choice.topology.brokers},
                                        {"workers", choice.topology.workers},
                                        {"versions", choice.versions},
                                        {"connect_defaults", choice.connect_defaults},
                                        {"converter", to_string(choice.converter)}}
                                           .dump(2) +
                                       "\n");
}

std::optional<StackChoice> load_stack_choice(const fs::path& run_dir) {
  if (!fs::exists(choice_file(run_dir))) return std::nullopt;
  const json j = json::parse(read_file(choice_file(run_dir)), nullptr, false);
  if (!j.is_object()) {
    throw HarnessError(choice_file(run_dir).string() +
                       " is not valid JSON: remove it once nothing runs from " + run_dir.string());
  }
  return StackChoice{
      stack_kind_named(j.value("backend", "native"), "in " + choice_file(run_dir).string()),
      j.value("run_id", ""),
      j.value("config", std::string()),
      Topology{j.value("brokers", 1), j.value("workers", 1)},
      j.value("versions", default_version_set()),
      j.value("connect_defaults", false),
      converter_named(j.value("converter", "json"), "in " + choice_file(run_dir).string())};
}

void forget_stack_choice(const fs::path& run_dir) {
  fs::remove(choice_file(run_dir));
}

}  // namespace cdc
