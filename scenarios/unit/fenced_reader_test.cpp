// Fenced steps over a scripted stream: fences bound a step and never appear in it, and a
// re-delivery that arrives after the fence is seen by the settled step and counted.
#include "harness/observer/fenced_reader.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/checkers/change_checks.hpp"
#include "harness/common/errors.hpp"
#include "scenarios/unit/recorded_events.hpp"

namespace cdc::unit {
namespace {
using nlohmann::json;
using ::testing::HasSubstr;

// Hands out `script` one event at a time; writing a fence appends its insert.
class ScriptedStream final : public EventStream {
 public:
  std::vector<ChangeEvent> script;
  bool keep_waiting = false;

  // The fence's insert as the connector keys it (`keyed_by`: its primary key, or email).
  std::string keyed_by = "id";
  FenceRow write_fence() {
    ChangeEvent fence;
    fence.op = Op::Create;
    const int id = 9000 + static_cast<int>(++fences_);
    fence.after = json{{"id", id}, {"email", "fence-" + std::to_string(id) + "@example.com"}};
    fence.key = {{keyed_by, fence.after->at(keyed_by)}};
    fence.kafka.topic = "cdctest.public.customers";
    fence.kafka.offset = static_cast<int64_t>(script.size());
    script.push_back(fence);
    return {{{"id", id}}, "email", fence.after->at("email")};
  }
  const std::vector<ChangeEvent>& collect_until(
      const std::string& what, std::chrono::milliseconds,
      const std::function<bool(const std::vector<ChangeEvent>&)>& done) override {
    int idle = 0;
    while (!done(read_)) {
      if (read_.size() == script.size()) {
        if (keep_waiting && ++idle < 100) continue;  // as a live stream polls on
        throw TimeoutError("never saw " + what);
      }
      read_.push_back(script[read_.size()]);
    }
    return read_;
  }

 private:
  std::vector<ChangeEvent> read_;
  size_t fences_ = 0;
};

class FencedSteps : public ::testing::Test {
 protected:
  std::vector<ChangeEvent> recorded = recorded_events("customers-with-schemas.json");
  ScriptedStream stream;
  FencedReader reader{stream, [this] { return stream.write_fence(); }};
  // The insert of 1005 and the update of 1001 (transaction 729, offsets 4 and 5).
  std::vector<ExpectedChange> expected =
      expected_changes(std::vector<Mutation>{recorded_mutations()[0], recorded_mutations()[1]});
};

TEST_F(FencedSteps, AStepEndsAtItsFenceAndLeavesTheFenceOut) {
  stream.script = {recorded[4], recorded[5]};
  const auto step = reader.next();
  ASSERT_EQ(step.size(), 2u);
  EXPECT_EQ(step[1].kafka.offset, 5);
  stream.script.push_back(recorded[8]);
  EXPECT_EQ(reader.next().size(), 1u) << "the second step starts after the first fence";
}

TEST_F(FencedSteps, ADuplicateDeliveredAfterTheFenceIsCountedOnceSettled) {
  stream.script = {recorded[4], recorded[5]};
  // The connector restarts right after the first fence and replays the update behind it.
  FencedReader replaying(stream, [&] {
    const FenceRow fence = stream.write_fence();
    if (stream.script.size() == 3) stream.script.push_back(recorded[5]);
    return fence;
  });
  const auto events = replaying.next_settled();
  ASSERT_EQ(events.size(), 3u);
  const Verdict verdict = check_events(events, expected, {.delivery = Delivery::AtLeastOnce});
  EXPECT_EQ(verdict.count(AnomalyKind::Duplicate), 1u) << verdict.summary();
  EXPECT_TRUE(verdict.ok()) << "at least once, a duplicate is legal: counted, not failed";
}

// On a topic of two partitions a fence read from one says nothing of the other: the step
// ends only once a fence has come through each, so an event that its partition delivers
// late (after the first fence arrived) is still in the step.
TEST_F(FencedSteps, OnTwoPartitionsAStepEndsOnceEachHasShownAFence) {
  ScriptedStream two;
  int fences = 0;
  FencedReader reader_of_two(
      two,
      [&] {
        FenceRow fence = two.write_fence();
        two.script.back().kafka.partition = fences++ % 2;  // fences land in turn
        // Partition 1's change arrives only after the first fence (in partition 0).
        if (fences == 1) {
          ChangeEvent late = recorded[5];
          late.kafka.partition = 1;
          two.script.push_back(late);
        }
        return fence;
      },
      2);
  ChangeEvent first = recorded[4];
  first.kafka.partition = 0;
  two.script = {first};
  two.script.reserve(8);
  const auto step = reader_of_two.next();
  ASSERT_EQ(step.size(), 2u) << "the late event of partition 1 is part of the step";
  EXPECT_EQ(step[1].kafka.offset, 5);
  EXPECT_EQ(fences, 2) << "one fence per partition";
}

// Keyed by email (message.key.columns), the fence is still found, by its email, and the step
// fails at once naming the key columns expected and seen: not a 60 s wait for a key that
// never comes.
TEST_F(FencedSteps, AFenceKeyedByOtherColumnsFailsTheStepAtOnceNamingThem) {
  stream.keyed_by = "email";
  stream.script = {recorded[4]};
  try {
    reader.next();
    FAIL() << "a step read past a fence keyed by email";
  } catch (const PipelineMismatch& e) {
    EXPECT_THAT(e.what(), HasSubstr("keyed by [email], not by the table's primary key [id]"));
  }
}

// Nothing arrives and the fence is found on another topic: the step fails naming it, without
// waiting out its deadline.
TEST_F(FencedSteps, AFenceWrittenElsewhereFailsTheStepNamingWhere) {
  stream.script = {};
  std::vector<std::string> asked;
  FencedReader routed(
      stream,
      [&] {
        FenceRow fence = stream.write_fence();
        stream.script.pop_back();  // it never comes here
        return fence;
      },
      1,
      {[&](const FenceRow& fence, int64_t) {
         asked.push_back(fence.marker_value.get<std::string>());
         return std::string("routed: the fence went to renamed.customers (1 record)");
       },
       std::chrono::milliseconds(0)});
  stream.keep_waiting = true;
  EXPECT_THROW(
      {
        try {
          routed.next();
        } catch (const PipelineMismatch& e) {
          EXPECT_THAT(e.what(), HasSubstr("renamed.customers"));
          throw;
        }
      },
      PipelineMismatch);
  EXPECT_EQ(asked.size(), 1u);
}

}  // namespace
}  // namespace cdc::unit
