#pragma once
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace cdc {

class StackBackend;
struct StackChoice;

enum class StackKind { Native, Compose, External };

// Everything the harness knows about a kind of stack, in one registry.
// What `down` removes from a stack before stopping it.
enum class DownCleanup {
  RunObjects,     // a shared stack: only what this run created (named by its run id)
  AllConnectors,  // the harness's own processes: every connector, so tasks stop before Postgres
  Nothing,        // the stack goes whole, volumes and all
};

struct StackKindInfo {
  StackKind kind;
  const char* name;
  // Others use it too: a run creates everything under its run id and removes only that,
  // never the stack itself.
  bool shared;
  DownCleanup at_down;
  const char* config_env;  // names its config file (--stack-config), or nullptr
  const char* settings;    // what it needs, for people
  std::unique_ptr<StackBackend> (*make)(const std::filesystem::path& run_dir,
                                        const StackChoice& choice);
};

const std::vector<StackKindInfo>& stack_kinds();
const StackKindInfo& info(StackKind kind);
std::string to_string(StackKind kind);
// The kind called `name`; a name that is none is a one-line error listing them (`source`
// says where the name came from, e.g. "from CDC_STACK").
StackKind stack_kind_named(const std::string& name, const std::string& source = "");
std::string stack_kind_names();  // "native, compose and external"

}  // namespace cdc
