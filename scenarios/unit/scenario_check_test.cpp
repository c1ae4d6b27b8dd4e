// The whole-file check a scenario file passes before anything runs: each mistake one line
// with file:line and the choices there are.
#include "harness/scenario_file/scenario_check.hpp"

#include "harness/scenario_file/expectations.hpp"
#include "harness/scenario_file/scenario_runner.hpp"
#include "harness/scenario_file/step_handlers.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

namespace cdc::unit {
namespace {
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

const ScenarioVocabulary kVocabulary{
    step_kinds(), {"run", "app_user"}, {"connect-crash", "kafka-restart"}};

std::vector<std::string> mistakes(const std::string& text) {
  return check_scenario(parse_scenario("f.cdc", text), kVocabulary);
}

TEST(ScenarioCheck, AMisspelledOptionNamesItsLineAndTheOptions) {
  const auto found =
      mistakes("connector register\n\nexpect events table=public.t ordr=total\nc {\"id\": 1}\n");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_THAT(found[0], HasSubstr("f.cdc:3: `ordr=` is not an option of `expect events`"));
  EXPECT_THAT(found[0], HasSubstr("order"));
  EXPECT_THAT(found[0], HasSubstr("allow-duplicates"));
}

TEST(ScenarioCheck, AValueOutsideAnOptionsChoicesNamesThem) {
  EXPECT_THAT(mistakes("expect events order=sorted\nc {\"id\": 1}\n"),
              ElementsAre(HasSubstr("f.cdc:1: order=sorted is not one of order's choices: use "
                                    "per-key, unordered or total")));
  EXPECT_THAT(mistakes("expect no-events timeout=5\n"),
              ElementsAre(HasSubstr("timeout=5 is not a duration")));
}

TEST(ScenarioCheck, AnUnknownStepOrActionIsFoundBeforeTheStepsBeforeIt) {
  const auto found = mistakes(
      "sql\nSELECT 1;\n\nexpekt events\nc {\"id\": 1}\n\nconnector "
      "rstart\nexpect notification\n");
  ASSERT_EQ(found.size(), 3u);
  EXPECT_THAT(found[0],
              HasSubstr("f.cdc:4: `expekt` is not a step: use set, sql, copy, cleanup, connector"));
  EXPECT_THAT(found[1], HasSubstr("f.cdc:7: `connector rstart` is not an action of `connector`"));
  EXPECT_THAT(found[1], HasSubstr("restart"));
  EXPECT_THAT(found[2], HasSubstr("f.cdc:8: `expect notification` is not an action"));
}

TEST(ScenarioCheck, BodiesMissingOrUnexpected) {
  EXPECT_THAT(mistakes("sql\n\n"), ElementsAre(HasSubstr("f.cdc:1: `sql` needs a body")));
  EXPECT_THAT(mistakes("expect events\n\n"),
              ElementsAre(HasSubstr("f.cdc:1: `expect events` needs a body")));
  // A one-line step's next line is a step of its own; one that is not a step is named.
  EXPECT_THAT(mistakes("connector register\n{\"a\": 1}\n\nsignal execute-snapshot\n{oops\n"),
              ElementsAre(HasSubstr("f.cdc:5: `signal`'s body is not JSON")));
}

TEST(ScenarioCheck, AMalformedEventLineNamesItsLine) {
  const auto found = mistakes("expect events\nc {\"id\": 1} {\"id\": 1}\nc {\"id\": 2\n");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_THAT(found[0], HasSubstr("f.cdc:3:"));
}

TEST(ScenarioCheck, VariablesAreKnownFromWhereTheyAreSet) {
  EXPECT_THAT(mistakes("sql\nSELECT '${table}';\n\nset table = t_${run}\n"),
              ElementsAre(HasSubstr("f.cdc:2: unknown variable ${table}: set it with `set "
                                    "table = …` before this line")));
  EXPECT_THAT(mistakes("set table = t_${run}\nsql\nSELECT '${table}', '$${literal}';\n"),
              IsEmpty());
  // The connector's names come with its registration, its own settings included.
  EXPECT_THAT(mistakes("sql\nSELECT '${slot}';\n"),
              ElementsAre(HasSubstr("it is set by `connector register`, which comes later")));
  EXPECT_THAT(mistakes("connector register\n{\"topic\": \"${topic_prefix}.x\"}\n"), IsEmpty());
}

TEST(ScenarioCheck, FaultsComeFromTheCatalogue) {
  EXPECT_THAT(mistakes("fault conect-crash\n"),
              ElementsAre(HasSubstr("`conect-crash` is not a fault of the catalogue: use "
                                    "connect-crash or kafka-restart")));
  EXPECT_THAT(mistakes("fault start connect-crash\nfault heal connect-crash\n"), IsEmpty());
  EXPECT_THAT(mistakes("fault start\n"), ElementsAre(HasSubstr("name the fault")));
}

TEST(ScenarioCheck, AnUnknownFlagNamesTheFlags) {
  EXPECT_THAT(mistakes("expect events allow-duplicate\nc {\"id\": 1}\n"),
              ElementsAre(HasSubstr("`allow-duplicate` is not a flag of `expect events`: its "
                                    "flags are allow-duplicates")));
}

TEST(ScenarioCheck, EveryFileOfTheProjectPasses) {
  const ScenarioVocabulary all = scenario_vocabulary(false);
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(CDC_SOURCE_DIR "/scenarios/files")) {
    if (entry.path().extension() != ".cdc") continue;
    EXPECT_THAT(check_scenario(read_scenario(entry.path()), all), IsEmpty()) << entry.path();
  }
}

}  // namespace
}  // namespace cdc::unit

namespace cdc::unit {
namespace {

Observed event(const std::string& op, int id, int v) {
  Observed o;
  o.view = {
      {"op", op}, {"key", {{"id", id}}}, {"before", nullptr}, {"after", {{"id", id}, {"v", v}}}};
  o.key_text = o.view["key"].dump();
  return o;
}

std::string judged(const std::vector<std::string>& lines, const std::vector<Observed>& observed,
                   const ExpectRules& rules = {}) {
  std::vector<Expected> expected;
  for (size_t i = 0; i < lines.size(); ++i)
    expected.push_back(parse_event_line(lines[i], static_cast<int>(i) + 1));
  const ExpectOutcome outcome = match_expected(expected, observed, rules);
  return anomaly_summary(classify(outcome, expected, observed, rules));
}

TEST(ExpectationAnomalies, AMismatchIsNamedInTheCheckersVocabulary) {
  const std::vector<std::string> two = {R"(c {"id": 1} {"id": 1, "v": 1})",
                                        R"(c {"id": 2} {"id": 2, "v": 2})"};
  EXPECT_EQ(judged(two, {event("c", 1, 1), event("c", 2, 2)}), "no anomaly");
  EXPECT_EQ(judged(two, {event("c", 1, 1)}), "1 lost");
  EXPECT_EQ(judged(two, {event("c", 1, 1), event("c", 2, 9)}), "1 image");
  EXPECT_EQ(judged(two, {event("c", 1, 1), event("c", 2, 2), event("c", 3, 3)}), "1 phantom");
  EXPECT_EQ(judged(two, {event("c", 1, 1), event("c", 1, 1), event("c", 2, 2)}), "1 duplicate");
  ExpectRules total;
  total.order = OrderMode::Total;
  EXPECT_EQ(judged(two, {event("c", 2, 2), event("c", 1, 1)}, total), "1 order");
}

}  // namespace
}  // namespace cdc::unit
