#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "harness/explore/case.hpp"

namespace cdc::explore {

// What the generator may draw from.
struct Space {
  int max_tables = 2;
  int max_columns = 5;  // besides the key
  int max_transactions = 6;
  int max_statements = 3;             // per transaction
  std::vector<std::string> faults{};  // catalogue faults a case may carry (none: no faults)
  int copy_percent = 20;              // how often a case has a bulk load (COPY)
};

// Case `index` of the exploration seeded with `seed`: the same pair always gives the same case.
Case generate_case(uint64_t seed, int index, const Space& space);

}  // namespace cdc::explore
