#include "harness/observer/change_line.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "scenarios/unit/recorded_events.hpp"

namespace cdc::unit {
namespace {
using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::Not;

TEST(ChangeLine, InsertListsTheRow) {
  const auto events = recorded_events("customers-with-schemas.json");
  EXPECT_THAT(
      change_line(events[4]),
      EndsWith(R"(c  public.customers  id=1005  email="ab@x.org" first_name="A" last_name="B")"));
}

TEST(ChangeLine, UpdateShowsOnlyTheChangedColumns) {
  const auto events = recorded_events("customers-with-schemas.json");
  const std::string line = change_line(events[5]);
  EXPECT_THAT(
      line,
      EndsWith(R"(u  public.customers  id=1001  email: "sally.thomas@acme.com" -> "new@x.org")"));
  EXPECT_THAT(line, Not(HasSubstr("first_name")));
}

TEST(ChangeLine, DeleteAndTombstoneSaySo) {
  const auto events = recorded_events("customers-with-schemas.json");
  EXPECT_THAT(change_line(events[6]), HasSubstr("d  public.customers  id=1002  deleted"));
  EXPECT_THAT(change_line(events[7]), EndsWith("id=1002  tombstone"));
}

}  // namespace
}  // namespace cdc::unit
