// The defect table's rules, on made-up versions: the real fix versions live only in
// reports/upstream/defects.json.
#include "harness/stack/upstream_defects.hpp"

#include <gtest/gtest.h>

#include "harness/common/errors.hpp"

namespace cdc {
namespace {

TEST(UpstreamDefects, VersionsOrderByNumberThenAlphaBetaCrFinal) {
  EXPECT_LT(compare_versions("2.1.9.Final", "2.2.0.Alpha1"), 0);
  EXPECT_LT(compare_versions("2.2.0.Alpha1", "2.2.0.Alpha2"), 0);
  EXPECT_LT(compare_versions("2.2.0.Alpha2", "2.2.0.Beta1"), 0);
  EXPECT_LT(compare_versions("2.2.0.Beta1", "2.2.0.CR1"), 0);
  EXPECT_LT(compare_versions("2.2.0.CR1", "2.2.0.Final"), 0);
  EXPECT_LT(compare_versions("2.2.10.Final", "2.10.0.Final"), 0);
  EXPECT_EQ(compare_versions("2.2.0.Final", "2.2.0.Final"), 0);
  EXPECT_GT(compare_versions("4.3.1", "4.3.0"), 0);
}

TEST(UpstreamDefects, AffectedBeforeTheFixOnItsLineAndOnOlderLines) {
  const UpstreamDefect backported{
      "x#1", "", "", "", {{"2.1", "2.1.3.Final"}, {"2.2", "2.2.0.Alpha1"}}, ""};
  EXPECT_TRUE(affects(backported, "2.0.5.Final"));  // an older line: never fixed
  EXPECT_TRUE(affects(backported, "2.1.2.Final"));
  EXPECT_FALSE(affects(backported, "2.1.3.Final"));
  EXPECT_FALSE(affects(backported, "2.2.0.Alpha1"));
  EXPECT_FALSE(affects(backported, "2.2.4.Final"));
  EXPECT_FALSE(affects(backported, "2.3.0.Final"));  // a newer line
  const UpstreamDefect newest_only{"x#2", "", "", "", {{"2.2", "2.2.0.Alpha1"}}, ""};
  EXPECT_TRUE(affects(newest_only, "2.1.3.Final"));
  EXPECT_TRUE(affects(newest_only, "2.1.9.Final"));
  const UpstreamDefect introduced{"x#3", "", "", "", {{"2.2", "2.2.0.Alpha2"}}, "2.1.0.Final"};
  EXPECT_FALSE(affects(introduced, "2.0.9.Final"));  // before it came in
  EXPECT_TRUE(affects(introduced, "2.1.0.Final"));
  EXPECT_TRUE(affects(introduced, "2.2.0.Alpha1"));
  EXPECT_FALSE(affects(introduced, "2.2.0.Alpha2"));
  const UpstreamDefect unfixed{"x#4", "", "", "", {}, ""};
  EXPECT_TRUE(affects(unfixed, "9.9.9.Final"));
}

TEST(UpstreamDefects, TheTableNamesEachDefectsFixAndScenario) {
  ASSERT_FALSE(upstream_defects().empty());
  for (const auto& d : upstream_defects()) {
    EXPECT_FALSE(d.link.empty()) << d.id;
    EXPECT_FALSE(d.scenario.empty()) << d.id;
    // An open defect (no fix yet) says since when it is there.
    EXPECT_TRUE(!d.fixed_in.empty() || !d.introduced_in.empty()) << d.id;
    for (const auto& [line, release] : d.fixed_in)
      EXPECT_EQ(release.rfind(line + ".", 0), 0u)
          << d.id << ": " << release << " is not on " << line;
  }
  EXPECT_EQ(upstream_defect("dbz#633").id, "dbz#633");
  try {
    upstream_defect("dbz#0");
    FAIL() << "an unknown id must be an error";
  } catch (const HarnessError& e) {
    EXPECT_NE(std::string(e.what()).find("dbz#633"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace cdc
