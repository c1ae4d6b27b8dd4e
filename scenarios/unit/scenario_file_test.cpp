// Scenario files as pure logic: the text format, expectation lines, and matching them
// against real events recorded from the pipeline (recorded/customers-with-schemas.json).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/scenario_file/expectations.hpp"
#include "harness/scenario_file/json_pattern.hpp"
#include "harness/scenario_file/scenario_text.hpp"
#include "scenarios/unit/recorded_events.hpp"

namespace cdc::unit {
namespace {
using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

const char* kFile = R"(# a comment
set table = t_${run}   # a comment after a step
sql session=a error="duplicate key # not a comment"
INSERT INTO x VALUES (1);
# a comment inside a body
INSERT INTO x VALUES (2);

connector pause
connector resume
expect events order=unordered allow-duplicates
c {"id": 1} {"id": 1}

expect no-events
)";

TEST(ScenarioText, StepsHaveTheirLinesOptionsFlagsAndBodies) {
  const ScenarioText text = parse_scenario("f.cdc", kFile);
  ASSERT_EQ(text.steps.size(), 6u);
  EXPECT_EQ(text.steps[0].directive(), "set");
  EXPECT_EQ(text.steps[0].line, 2);
  EXPECT_EQ(text.steps[0].header, "set table = t_${run}");
  const ScenarioStep& sql = text.steps[1];
  EXPECT_EQ(sql.line, 3);
  EXPECT_EQ(sql.option("session"), "a");
  EXPECT_EQ(sql.option("error"), "duplicate key # not a comment");  // quoted
  EXPECT_THAT(sql.body, ElementsAre("INSERT INTO x VALUES (1);", "INSERT INTO x VALUES (2);"));
  EXPECT_THAT(sql.body_line_numbers, ElementsAre(4, 6));
  // One-line steps need no blank line between them.
  EXPECT_EQ(text.steps[2].action(), "pause");
  EXPECT_EQ(text.steps[3].action(), "resume");
  EXPECT_TRUE(text.steps[4].has_flag("allow-duplicates"));
  EXPECT_EQ(text.steps[4].option("order"), "unordered");
  EXPECT_THAT(text.steps[4].body_line_numbers, ElementsAre(11));
  EXPECT_EQ(text.steps[5].action(), "no-events");
  EXPECT_EQ(text.at(11, "boom"), "f.cdc:11: boom");
}

TEST(ScenarioText, AnUnclosedQuoteNamesItsLine) {
  try {
    parse_scenario("f.cdc", "\nsql error=\"oops\n");
    FAIL() << "no error";
  } catch (const ScenarioError& e) {
    EXPECT_THAT(e.what(), HasSubstr("f.cdc:2: a quote is not closed"));
  }
}

TEST(ScenarioText, RewritingABodyKeepsEveryOtherLine) {
  const ScenarioText text = parse_scenario("f.cdc", kFile);
  const std::string out = rewrite_bodies(text, {{4, {"c {\"id\":1} {\"id\":1,\"v\":2}"}}});
  EXPECT_THAT(out, HasSubstr("# a comment inside a body\n"));
  EXPECT_THAT(out, HasSubstr("allow-duplicates\nc {\"id\":1} {\"id\":1,\"v\":2}\n\nexpect no"));
  EXPECT_EQ(parse_scenario("f.cdc", out).steps.size(), text.steps.size());
}

TEST(EventLines, ReadOpKeyImageAndNamedParts) {
  const Expected e = parse_event_line(R"(u {"id": 1} {"id": 1, "a": "x y"} before=null)", 7);
  EXPECT_EQ(e.line, 7);
  EXPECT_EQ(e.view["op"], "u");
  EXPECT_EQ(e.view["key"], json({{"id", 1}}));
  EXPECT_EQ(e.view["after"]["a"], "x y");
  EXPECT_TRUE(e.view["before"].is_null());
  EXPECT_EQ(parse_event_line(R"(d {"id": 2} {"id": 2})", 1).view["before"], json({{"id", 2}}));
  EXPECT_EQ(parse_event_line("delete {\"id\": 2}", 1).view["op"], "d");
  EXPECT_THROW(parse_event_line("x {\"id\": 1}", 1), std::invalid_argument);
  EXPECT_THROW(parse_event_line("c {id: 1}", 1), std::invalid_argument);
  EXPECT_THROW(parse_event_line("c {\"id\": 1", 1), std::invalid_argument);
  EXPECT_THROW(parse_event_line("c {\"id\": 1} {} wrong={}", 1), std::invalid_argument);
}

TEST(JsonPattern, RegexAnySubsetExactAndIgnore) {
  const json observed = {{"id", 1}, {"name", "ann"}, {"ts", 123}};
  EXPECT_TRUE(json_mismatches({{"id", 1}, {"name", {{"$regex", "a.n"}}}, {"ts", {{"$any", true}}}},
                              observed, MatchMode::Exact, {})
                  .empty());
  EXPECT_TRUE(json_mismatches({{"id", 1}}, observed, MatchMode::Subset, {}).empty());
  const auto exact = json_mismatches({{"id", 1}, {"name", "ann"}}, observed, MatchMode::Exact, {});
  ASSERT_EQ(exact.size(), 1u);
  EXPECT_EQ(describe(exact[0]), "ts: expected (absent), observed 123");
  EXPECT_TRUE(
      json_mismatches({{"id", 1}, {"name", "ann"}}, observed, MatchMode::Exact, {"ts"}).empty());
  EXPECT_EQ(json_mismatches({{"id", 1.0}}, {{"id", 1}}, MatchMode::Exact, {}).size(), 0u);
  EXPECT_EQ(
      json_mismatches({{"name", {{"$regex", "b.*"}}}}, observed, MatchMode::Subset, {}).size(), 1u);
}

// The recorded topic, as expectations see it, and the lines --record would write for it.
struct Recorded {
  std::vector<Observed> observed;
  std::vector<Expected> expected;
  Recorded() {
    for (const auto& e : recorded_events("customers-with-schemas.json"))
      observed.push_back(observed_event(e));
    int line = 1;
    for (const auto& o : observed) expected.push_back(parse_event_line(event_line(o), line++));
  }
};

TEST(Expectations, RecordedLinesMatchTheRecordedEvents) {
  const Recorded r;
  ASSERT_GE(r.observed.size(), 10u);
  for (const OrderMode order : {OrderMode::PerKey, OrderMode::Unordered, OrderMode::Total}) {
    ExpectRules rules;
    rules.order = order;
    const ExpectOutcome outcome = match_expected(r.expected, r.observed, rules);
    EXPECT_TRUE(outcome.ok()) << explain(outcome, r.expected, r.observed, rules, "f.cdc");
  }
}

TEST(Expectations, AMissingEventIsNamedByItsLine) {
  const Recorded r;
  auto observed = r.observed;
  observed.erase(observed.begin() + 5);
  const ExpectOutcome outcome = match_expected(r.expected, observed, {});
  EXPECT_THAT(outcome.missing, ElementsAre(5u));
  EXPECT_THAT(explain(outcome, r.expected, observed, {}, "f.cdc"),
              HasSubstr("f.cdc:6: expected, not observed"));
}

TEST(Expectations, AWrongImageIsShownMemberByMember) {
  const Recorded r;
  auto observed = r.observed;
  observed[5].view["after"]["first_name"] = "Mallory";
  const ExpectOutcome outcome = match_expected(r.expected, observed, {});
  EXPECT_FALSE(outcome.ok());
  const std::string text = explain(outcome, r.expected, observed, {}, "f.cdc");
  EXPECT_THAT(text, HasSubstr("after.first_name: expected"));
  EXPECT_THAT(text, HasSubstr("observed \"Mallory\""));
  EXPECT_THAT(text, HasSubstr("unexpected: "));
  // Subset mode does not forgive a stated member that differs.
  ExpectRules subset;
  subset.match = MatchMode::Subset;
  EXPECT_FALSE(match_expected(r.expected, observed, subset).ok());
}

TEST(Expectations, ADuplicateFailsUnlessAllowed) {
  const Recorded r;
  auto observed = r.observed;
  observed.push_back(observed[6]);
  const ExpectOutcome strict = match_expected(r.expected, observed, {});
  EXPECT_TRUE(strict.satisfied());
  EXPECT_THAT(strict.unexpected, ElementsAre(observed.size() - 1));
  EXPECT_THAT(explain(strict, r.expected, observed, {}, "f.cdc"), HasSubstr("line 7 again"));
  ExpectRules allow;
  allow.allow_duplicates = true;
  const ExpectOutcome allowed = match_expected(r.expected, observed, allow);
  EXPECT_TRUE(allowed.ok());
  EXPECT_EQ(allowed.duplicates, 1u);
}

TEST(Expectations, OrderIsJudgedPerKeyUnlessUnorderedOrTotal) {
  const Recorded r;
  // Two events of one key swapped: wrong per key and in total, fine unordered.
  auto observed = r.observed;
  size_t first = 0, second = 0;
  for (size_t i = 0; i < observed.size() && second == 0; ++i) {
    for (size_t j = i + 1; j < observed.size(); ++j) {
      if (observed[j].key_text == observed[i].key_text) {
        first = i;
        second = j;
        break;
      }
    }
  }
  ASSERT_NE(second, 0u);
  std::swap(observed[first], observed[second]);
  ExpectRules rules;
  EXPECT_FALSE(match_expected(r.expected, observed, rules).ok());
  rules.order = OrderMode::Unordered;
  EXPECT_TRUE(match_expected(r.expected, observed, rules).ok());
  // Two events of different keys swapped: fine per key, wrong in total.
  observed = r.observed;
  ASSERT_NE(observed[0].key_text, observed[1].key_text);
  std::swap(observed[0], observed[1]);
  rules.order = OrderMode::PerKey;
  EXPECT_TRUE(match_expected(r.expected, observed, rules).ok());
  rules.order = OrderMode::Total;
  EXPECT_FALSE(match_expected(r.expected, observed, rules).ok());
}

TEST(Expectations, RecordsMatchByKeyValueAndHeaders) {
  const Observed o = observed_record(
      "order-1", json{{"schema", {{"type", "string"}}}, {"payload", {{"total", 3}}}},
      json{{"id", "e-1"}, {"type", "OrderCreated"}}, KafkaPosition{});
  EXPECT_EQ(o.view["value"], json({{"total", 3}}));  // an embedded schema is left out
  const Expected e =
      parse_record_line(R"("order-1" {"total": 3} headers={"type": "OrderCreated"})", 4);
  EXPECT_TRUE(match_expected({e}, {o}, {}).ok());
  const Expected wrong = parse_record_line(R"("order-1" {"total": 4})", 5);
  EXPECT_FALSE(match_expected({wrong}, {o}, {}).ok());
  EXPECT_EQ(parse_record_line(record_line(o), 1).view["headers"], o.view["headers"]);
}

}  // namespace
}  // namespace cdc::unit
