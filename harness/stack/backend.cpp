#include "harness/stack/backend.hpp"

#include "harness/common/errors.hpp"
#include "harness/stack/native/native_stack.hpp"

namespace cdc {

std::unique_ptr<StackBackend> make_stack_backend(std::string_view name,
                                                 const std::filesystem::path& run_dir) {
  if (name == "native") return native::make_native_backend(run_dir);
  throw HarnessError("unknown stack backend '" + std::string(name) +
                     "': the backends are native (compose and external are planned)");
}

}  // namespace cdc
