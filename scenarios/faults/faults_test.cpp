// The fault catalogue under load, on a stack of the fault suite's own. The catalogue runs as
// a few loads of five faults each on one connector (the engine `chaos` runs), each fault
// started once the pipeline has recovered from the one before, and each judged on its own:
// nothing committed in its span may be lost, arrive out of per-key order or later than the
// liveness bound; no copy may arrive in a graceful fault's span. One ctest test per fault:
// the first of a load's tests to run runs the load, the others read its judgement.
// CDC_FAULT_ALONE=1 runs each fault in a load of its own instead.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/faults/fault_catalogue.hpp"
#include "scenarios/faults/fault_run.hpp"
#include "scenarios/faults/survived.hpp"

namespace cdc::scenarios {
namespace {
using namespace std::chrono_literals;

constexpr size_t kFaultsPerLoad = 5;

// The catalogue in loads of kFaultsPerLoad, in its own order: the one `fault` is judged in.
FaultLoad catalogue_load_of(const std::string& fault) {
  const auto names = fault_names();
  const size_t at =
      static_cast<size_t>(std::find(names.begin(), names.end(), fault) - names.begin());
  const size_t first = at / kFaultsPerLoad * kFaultsPerLoad;
  return {"catalogue-" + std::to_string(at / kFaultsPerLoad + 1),
          {names.begin() + static_cast<long>(first),
           names.begin() + static_cast<long>(std::min(first + kFaultsPerLoad, names.size()))}};
}

class Faults : public ::testing::TestWithParam<std::string> {};

TEST_P(Faults, UnderLoadNothingCommittedIsLostOrReordered) {
  const FaultLoad load = load_for(GetParam(), catalogue_load_of(GetParam()));
  LoadShape shape;
  shape.duration = 90s * load.faults.size();  // a ceiling: the load ends when the faults are done
  expect_survived(judged_load(load, shape), load, GetParam(), "fault");
}

INSTANTIATE_TEST_SUITE_P(Catalogue, Faults, ::testing::ValuesIn(fault_names()), fault_test_name);

}  // namespace
}  // namespace cdc::scenarios
