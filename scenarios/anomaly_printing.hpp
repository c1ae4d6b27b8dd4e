#pragma once
#include <ostream>

#include "harness/checkers/anomaly.hpp"

namespace cdc {
// Readable anomaly kinds and ops in GoogleTest's failure output.
inline void PrintTo(AnomalyKind kind, std::ostream* out) {
  *out << to_string(kind);
}
inline void PrintTo(Op op, std::ostream* out) {
  *out << to_string(op);
}
}  // namespace cdc
