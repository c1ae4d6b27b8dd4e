#include "harness/stack/stack_kind.hpp"

#include "harness/common/errors.hpp"
#include "harness/stack/compose/compose_stack.hpp"
#include "harness/stack/external/external_stack.hpp"
#include "harness/stack/native/native_stack.hpp"

namespace cdc {

const std::vector<StackKindInfo>& stack_kinds() {
  static const std::vector<StackKindInfo> kinds = {
      {StackKind::Native, "native", false, DownCleanup::AllConnectors, nullptr,
       "local processes on 127.0.0.1 (Debian packages + Maven jars; ci/setup.sh)",
       [](const std::filesystem::path& run_dir, const StackChoice& choice) {
         return native::make_native_backend(run_dir, choice.topology, choice.versions,
                                            choice.connect_defaults,
                                            choice.converter == Converter::Avro);
       }},
      {StackKind::Compose, "compose", false, DownCleanup::Nothing, "CDC_COMPOSE_FILE",
       "docker compose, a project per run (Docker Engine with compose v2)",
       [](const std::filesystem::path& run_dir, const StackChoice& choice) {
         return compose::make_compose_backend(run_dir, choice);
       }},
      {StackKind::External, "external", true, DownCleanup::RunObjects, "CDC_EXTERNAL_CONFIG",
       "a stack someone else runs, named by CDC_EXTERNAL_* settings",
       [](const std::filesystem::path& run_dir, const StackChoice& choice) {
         return external::make_external_backend(run_dir, choice);
       }},
  };
  return kinds;
}

const StackKindInfo& info(StackKind kind) {
  for (const auto& k : stack_kinds()) {
    if (k.kind == kind) return k;
  }
  throw HarnessError("unregistered stack kind");
}

std::string to_string(StackKind kind) {
  return info(kind).name;
}

std::string stack_kind_names() {
  std::string names;
  const auto& kinds = stack_kinds();
  for (size_t i = 0; i < kinds.size(); ++i) {
    names += (i == 0 ? "" : i + 1 == kinds.size() ? " and " : ", ") + std::string(kinds[i].name);
  }
  return names;
}

StackKind stack_kind_named(const std::string& name, const std::string& source) {
  for (const auto& k : stack_kinds()) {
    if (name == k.name) return k.kind;
  }
  throw HarnessError("unknown stack '" + name + "'" + (source.empty() ? "" : " (" + source + ")") +
                     ": the stacks are " + stack_kind_names());
}

}  // namespace cdc
