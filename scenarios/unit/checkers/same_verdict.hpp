#pragma once
#include <gtest/gtest.h>

#include <algorithm>

#include "harness/checkers/anomaly.hpp"

namespace cdc::unit {

// The streaming match must find what the batch match finds: the same anomaly kinds, as many
// of each, and the same number of changes matched.
inline void expect_same_verdict(const Verdict& streamed, const Verdict& batch) {
  const auto sorted = [](const Verdict& v) {
    auto kinds = v.kinds();
    std::sort(kinds.begin(), kinds.end());
    return kinds;
  };
  EXPECT_EQ(sorted(streamed), sorted(batch)) << "streaming:\n"
                                             << streamed.summary() << "\nbatch:\n"
                                             << batch.summary();
  EXPECT_EQ(streamed.matched, batch.matched);
}

}  // namespace cdc::unit
