#pragma once
#include <chrono>
#include <cstdint>

namespace cdc {

// Wall-clock microseconds since the epoch: the unit of every timestamp the harness
// compares with Postgres's and Debezium's (source.ts_us, ts_us).
inline int64_t now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace cdc
