#pragma once
#include <chrono>
#include <functional>
#include <string>

#include "harness/explore/case.hpp"

namespace cdc::explore {

// Makes a failing case smaller while `still_fails` holds for the smaller one (the same
// anomaly kinds): fewer faults, tables, transactions (in halves, then one by one),
// statements, non-default settings (all at once, then one by one), columns, and no final-state
// expectation, again until nothing more goes or the deadline passes. Each candidate is run: it is
// costly.
struct Shrunk {
  Case minimal;
  int tried = 0;         // candidates run
  int accepted = 0;      // of them, still failing the same way
  bool finished = true;  // false: the deadline ended it
};
// Hears each candidate run: its number, what was cut, the smaller case, whether it still
// failed (and was kept).
using ShrinkProgress =
    std::function<void(int run, const std::string& cut, const Case& smaller, bool kept)>;
Shrunk shrink(const Case& failing, const std::function<bool(const Case&)>& still_fails,
              std::chrono::steady_clock::time_point deadline, const ShrinkProgress& on_run = {});

}  // namespace cdc::explore
