#include "harness/scenario_file/step_handlers.hpp"

#include <iterator>
#include <sstream>

#include "harness/common/text.hpp"

namespace cdc {

const std::vector<StepHandler>& step_handlers() {
  static const std::vector<StepHandler> handlers = {
      set_step(),   sql_step(),    copy_step(), cleanup_step(), connector_step(),
      fault_step(), signal_step(), wait_step(), expect_step()};
  return handlers;
}

std::vector<StepKind> step_kinds() {
  std::vector<StepKind> kinds;
  for (const auto& h : step_handlers()) kinds.push_back(h.kind);
  return kinds;
}

std::string steps_help() {
  constexpr size_t kIndent = 6, kWidth = 92;
  std::string out;
  for (const auto& h : step_handlers()) {
    for (const auto& usage : h.kind.usages) out += "  " + usage + "\n";
    std::istringstream text(h.kind.summary);
    const std::vector<std::string> words{std::istream_iterator<std::string>(text), {}};
    out += std::string(kIndent, ' ') + wrapped(words, kIndent, kIndent, kWidth) + "\n";
  }
  return out;
}

}  // namespace cdc
