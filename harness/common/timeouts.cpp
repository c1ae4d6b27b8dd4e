#include "harness/common/timeouts.hpp"

#include <cstdlib>
#include <string>

#include "harness/common/errors.hpp"

namespace cdc {

double timeout_scale() {
  static const double scale = [] {
    const char* text = std::getenv("CDC_HARNESS_TIMEOUT_SCALE");
    if (text == nullptr || *text == '\0') return 1.0;
    char* end = nullptr;
    const double value = std::strtod(text, &end);
    if (end == text || *end != '\0' || value <= 0.0 || value > 100.0) {
      throw HarnessError("CDC_HARNESS_TIMEOUT_SCALE='" + std::string(text) +
                         "' is not a number in (0, 100]: set it to e.g. 2 or unset it");
    }
    return value;
  }();
  return scale;
}

std::chrono::milliseconds scaled(std::chrono::milliseconds base) {
  return std::chrono::milliseconds(static_cast<std::chrono::milliseconds::rep>(
      static_cast<double>(base.count()) * timeout_scale()));
}

}  // namespace cdc
