#include "harness/stack/backend.hpp"

#include "harness/common/errors.hpp"

namespace cdc {

std::string to_string(Component component) {
  switch (component) {
    case Component::Postgres:
      return "postgres";
    case Component::Kafka:
      return "kafka";
    case Component::Connect:
      return "connect";
  }
  return "?";
}

std::string to_string(ComponentAction action) {
  switch (action) {
    case ComponentAction::Stop:
      return "stop";
    case ComponentAction::Start:
      return "start";
    case ComponentAction::Kill:
      return "kill";
    case ComponentAction::Pause:
      return "pause";
    case ComponentAction::Resume:
      return "resume";
  }
  return "?";
}

void StackBackend::act_on_node(Component component, int node, ComponentAction action,
                               const Progress& progress) {
  if (node != 1) {
    throw HarnessError("this stack runs one " + to_string(component) + ", so it has no " +
                       to_string(component) + " " + std::to_string(node) +
                       ": bring up a cluster (--brokers, --workers) for more");
  }
  act_on(component, action, progress);
}

void StackBackend::switch_versions(const std::string& version_set, const Progress&) {
  throw HarnessError("only the native stack switches version sets (asked for " + version_set +
                     "): compose runs the images its file pins, an external stack what it has");
}

std::unique_ptr<StackBackend> make_stack_backend(const StackChoice& choice,
                                                 const std::filesystem::path& run_dir) {
  return info(choice.kind).make(run_dir, choice);
}

std::unique_ptr<StackBackend> recorded_stack_backend(const std::filesystem::path& run_dir) {
  return make_stack_backend(load_stack_choice(run_dir).value_or(StackChoice{}), run_dir);
}

}  // namespace cdc
