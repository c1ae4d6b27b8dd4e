#include "harness/stack/stack_choice.hpp"

#include <cstdlib>
#include <random>

#include <nlohmann/json.hpp>

#include "harness/common/errors.hpp"
#include "harness/common/files.hpp"

namespace cdc {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string env_or_empty(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

fs::path choice_file(const fs::path& run_dir) {
  return run_dir / "stack.json";
}

}  // namespace

std::string new_run_id() {
  static const char* alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::random_device random;
  std::string id = "r";  // starts with a letter: it ends up in SQL identifiers
  for (int i = 0; i < 7; ++i) id += alphabet[random() % 36];
  return id;
}

StackChoice choose_stack(const std::string& flag, const fs::path& config_flag) {
  StackChoice choice;
  const std::string from_env = env_or_empty("CDC_STACK");
  choice.backend = !flag.empty() ? flag : !from_env.empty() ? from_env : "native";
  if (choice.backend != "native" && choice.backend != "compose" && choice.backend != "external") {
    throw HarnessError("unknown stack '" + choice.backend + "'" +
                       (flag.empty() ? " (from CDC_STACK)" : "") +
                       ": the stacks are native, compose and external");
  }
  choice.run_id = new_run_id();
  if (!config_flag.empty()) {
    choice.config = fs::absolute(config_flag);
  } else if (choice.backend == "external" && !env_or_empty("CDC_EXTERNAL_CONFIG").empty()) {
    choice.config = fs::absolute(env_or_empty("CDC_EXTERNAL_CONFIG"));
  } else if (choice.backend == "compose") {
    const std::string file = env_or_empty("CDC_COMPOSE_FILE");
    choice.config = file.empty() ? fs::path(CDC_SOURCE_DIR) / "compose" / "docker-compose.yml"
                                 : fs::absolute(file);
  }
  if (!choice.config.empty() && !fs::exists(choice.config)) {
    throw HarnessError(
        "the " + choice.backend + " stack's config file " + choice.config.string() +
        " does not exist: check --stack-config" +
        (choice.backend == "external" ? " / CDC_EXTERNAL_CONFIG" : " / CDC_COMPOSE_FILE"));
  }
  return choice;
}

void save_stack_choice(const fs::path& run_dir, const StackChoice& choice) {
  fs::create_directories(run_dir);
  write_file(choice_file(run_dir), json{{"backend", choice.backend},
                                        {"run_id", choice.run_id},
                                        {"config", choice.config.string()}}
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
  return StackChoice{j.value("backend", "native"), j.value("run_id", ""),
                     j.value("config", std::string())};
}

void forget_stack_choice(const fs::path& run_dir) {
  fs::remove(choice_file(run_dir));
}

}  // namespace cdc
