#pragma once
#include <cstdint>
#include <string>

namespace cdc {

// A span in which the pipeline may stand still: a fault, from its start to its heal.
struct Outage {
  int64_t from_us = 0;
  int64_t to_us = 0;
  std::string what{};
};

}  // namespace cdc
