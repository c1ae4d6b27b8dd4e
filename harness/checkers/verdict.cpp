#include "harness/checkers/verdict.hpp"

namespace cdc {

std::string Verdict::summary() const {
  if (ok()) return "ok";
  std::string text = std::to_string(failures.size()) + " failure(s):";
  for (const auto& failure : failures) text += "\n  - " + failure;
  return text;
}

}  // namespace cdc
