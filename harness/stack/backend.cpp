#include "harness/stack/backend.hpp"

#include "harness/common/errors.hpp"
#include "harness/stack/compose/compose_stack.hpp"
#include "harness/stack/external/external_stack.hpp"
#include "harness/stack/native/native_stack.hpp"

namespace cdc {

std::unique_ptr<StackBackend> make_stack_backend(const StackChoice& choice,
                                                 const std::filesystem::path& run_dir) {
  if (choice.backend == "native") return native::make_native_backend(run_dir);
  if (choice.backend == "compose") return compose::make_compose_backend(run_dir, choice);
  if (choice.backend == "external") return external::make_external_backend(run_dir, choice);
  throw HarnessError("unknown stack '" + choice.backend +
                     "': the stacks are native, compose and external");
}

std::unique_ptr<StackBackend> recorded_stack_backend(const std::filesystem::path& run_dir) {
  return make_stack_backend(load_stack_choice(run_dir).value_or(StackChoice{}), run_dir);
}

}  // namespace cdc
