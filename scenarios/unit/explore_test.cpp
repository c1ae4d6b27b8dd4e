// explore's pure parts: the generator is a function of its seed, the oracle derives each
// table's events from the transactions and the settings, and shrinking keeps only what the
// failure needs.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "harness/explore/case.hpp"
#include "harness/explore/generator.hpp"
#include "harness/explore/shrink.hpp"

namespace cdc::explore {
namespace {
using ::testing::HasSubstr;
using ::testing::Not;

TEST(ExploreGenerator, TheSameSeedGivesTheSameCasesAndAnotherSeedOthers) {
  const Space space;
  for (int i = 1; i <= 20; ++i) {
    EXPECT_EQ(scenario_file_text(generate_case(3, i, space)),
              scenario_file_text(generate_case(3, i, space)));
  }
  int differ = 0;
  for (int i = 1; i <= 20; ++i) {
    differ += scenario_file_text(generate_case(3, i, space)) !=
              scenario_file_text(generate_case(4, i, space));
  }
  EXPECT_GT(differ, 15);
}

// One table (id, name), the harness's settings: insert, update, key update, delete.
Case hand_made() {
  Case c;
  Table t;
  t.name = "t";
  t.columns = {{"id", ColumnType::Int}, {"name", ColumnType::Text}};
  c.tables = {t};
  const auto v = [](int id) { return Value{std::to_string(id), id, true}; };
  const auto s = [](const std::string& text) { return Value{"'" + text + "'", text, true}; };
  Statement insert{StatementKind::Insert, 0, {{v(1), s("ann")}}};
  Statement update{StatementKind::Update, 0, {}, {v(1)}, {{1, s("bob")}}};
  Statement move{StatementKind::KeyUpdate, 0, {}, {v(1)}, {{0, v(5)}}};
  Statement remove{StatementKind::Delete, 0, {}, {v(5)}};
  c.transactions = {{{insert}}, {{update, move}}, {{remove}}};
  return c;
}

TEST(ExploreOracle, DerivesEachEventFromTheTransactionsAndTheSettings) {
  const std::string text = scenario_file_text(hand_made());
  EXPECT_THAT(text, HasSubstr("c {\"id\":1} {\"id\":1,\"name\":\"ann\"}\n"
                              "u {\"id\":1} {\"id\":1,\"name\":\"bob\"}\n"
                              "d {\"id\":1}\ntombstone {\"id\":1}\n"
                              "c {\"id\":5} {\"id\":5,\"name\":\"bob\"}\n"
                              "d {\"id\":5}\ntombstone {\"id\":5}\n"));
  EXPECT_THAT(text, HasSubstr("UPDATE t SET id = 5 WHERE id = 1;"));
}

TEST(ExploreOracle, SettingsChangeWhatIsOwed) {
  Case c = hand_made();
  c.settings.tombstones = false;
  c.settings.skipped_operations = "u";
  c.transactions[1].statements.pop_back();  // no key update when updates are skipped
  const std::string text = scenario_file_text(c);
  EXPECT_THAT(text, Not(HasSubstr("\ntombstone ")));
  EXPECT_THAT(text, Not(HasSubstr("\nu ")));
  EXPECT_THAT(text, HasSubstr("\"skipped.operations\":\"u\""));
}

TEST(ExploreOracle, RolledBackWorkIsOwedNothing) {
  Case c = hand_made();
  c.transactions[1].rollback = true;
  c.transactions[2].statements[0].key[0] = Value{"1", 1, true};
  c.transactions[2].statements[0].rolled_back_to_savepoint = true;
  const std::string text = scenario_file_text(c);
  EXPECT_THAT(text, HasSubstr("ROLLBACK;"));
  EXPECT_THAT(text, HasSubstr("ROLLBACK TO SAVEPOINT s;"));
  EXPECT_THAT(text, Not(HasSubstr("\nu ")));
  EXPECT_THAT(text, Not(HasSubstr("\nd ")));
}

TEST(ExploreOracle, ATruncateIsOneEventForTheTableAndEmptiesIt) {
  Case c = hand_made();
  c.transactions[2].statements[0] = Statement{StatementKind::Truncate, 0};
  const std::string text = scenario_file_text(c);
  EXPECT_THAT(text, HasSubstr("TRUNCATE t;"));
  EXPECT_THAT(text, HasSubstr("\nt null after=null source={\"table\": \"t\"}\n"));
  EXPECT_THAT(text, Not(HasSubstr("\nd {\"id\":5}")));
}

// An enum column: the case's type is created before its tables and dropped after them, and
// a label arrives as its text.
TEST(ExploreOracle, AnEnumIsTheCasesOwnTypeAndItsLabelArrivesAsText) {
  Case c = hand_made();
  c.tables[0].columns.push_back({"mood", ColumnType::Enum});
  c.transactions = {
      {{Statement{StatementKind::Insert,
                  0,
                  {{{"1", 1, true}, {"'x'", "x", true}, {"'happy'", "happy", true}}}}}}};
  const std::string text = scenario_file_text(c);
  EXPECT_THAT(text, HasSubstr("sql\nCREATE TYPE explore_${run}_mood AS ENUM ('sad', 'ok', "
                              "'happy');\nCREATE TABLE t (id int, name text, mood "
                              "explore_${run}_mood, PRIMARY KEY (id));\n"));
  EXPECT_THAT(text,
              HasSubstr("DROP TABLE IF EXISTS t;\nDROP TYPE IF EXISTS explore_${run}_mood;\n"));
  EXPECT_THAT(text, HasSubstr("c {\"id\":1} {\"id\":1,\"mood\":\"happy\",\"name\":\"x\"}\n"));
  EXPECT_THAT(scenario_file_text(hand_made()), Not(HasSubstr("CREATE TYPE")));
}

// column.exclude.list: the column is in no image, and final state leaves it out.
TEST(ExploreOracle, AnExcludedColumnIsInNoImageAndLeftOutOfTheFinalState) {
  Case c = hand_made();
  c.settings.excluded_column = "t.name";
  const std::string text = scenario_file_text(c);
  EXPECT_THAT(text, HasSubstr("\"column.exclude.list\":\"public.t.name\""));
  EXPECT_THAT(text, HasSubstr("c {\"id\":1} {\"id\":1}\nu {\"id\":1} {\"id\":1}\n"));
  EXPECT_THAT(text, HasSubstr("expect final-state table=public.t ignore=name\n"));
}

// A fault after the first transaction: the file first waits for a committed offset (a crash
// before one would take the snapshot again), and changes may come twice after it.
TEST(ExploreFaults, AfterATransactionTheFileWaitsForACommittedOffsetFirst) {
  Case c = hand_made();
  c.faults = {"connect-crash"};
  const std::string text = scenario_file_text(c);
  EXPECT_THAT(text, HasSubstr("COMMIT;\n\nconnector wait-committed\n\nfault connect-crash\n"));
  EXPECT_THAT(text, HasSubstr("expect events table=public.t allow-duplicates\n"));
  EXPECT_EQ(scenario_steps(c), 3u + 3 + 2 + 2);
}

// Inside: the second transaction opens in a session of its own, the fault starts after its
// first half and heals after its COMMIT.
TEST(ExploreFaults, InsideATransactionItStartsAfterTheFirstHalfAndHealsAfterTheCommit) {
  Case c = hand_made();
  c.faults = {"kafka-crash"};
  c.faults_inside = true;
  ASSERT_TRUE(fault_inside(c, 0));
  const std::string text = scenario_file_text(c);
  EXPECT_THAT(text, HasSubstr("connector wait-committed\n\n"
                              "sql session=open\nBEGIN;\nUPDATE t SET name = 'bob' WHERE id = 1;\n"
                              "\nfault start kafka-crash\n\n"
                              "sql session=open\nUPDATE t SET id = 5 WHERE id = 1;\nCOMMIT;\n\n"
                              "fault heal kafka-crash\n"));
  EXPECT_THAT(text, Not(HasSubstr("\nfault kafka-crash")));
  EXPECT_EQ(scenario_steps(c), 3u + 3 + 1 + 1 + 2 + 2);
}

// Never inside for a fault that takes Postgres (and the open session) down, nor before
// anything was captured: the restart would snapshot the transaction's rows as op=r.
TEST(ExploreFaults, NotInsideWhenPostgresGoesDownOrNothingWasCapturedBefore) {
  Case c = hand_made();
  c.faults_inside = true;
  c.faults = {"postgres-crash"};
  EXPECT_FALSE(fault_inside(c, 0));
  EXPECT_THAT(scenario_file_text(c),
              HasSubstr("COMMIT;\n\nconnector wait-committed\n\nfault postgres-crash\n"));
  c.faults = {"connect-crash"};
  c.transactions.front().rollback = true;  // the first transaction leaves nothing to capture
  EXPECT_FALSE(fault_inside(c, 0));
  EXPECT_THAT(scenario_file_text(c), Not(HasSubstr("wait-committed")));
  EXPECT_THAT(scenario_file_text(c), HasSubstr("ROLLBACK;\n\nfault connect-crash\n"));
}

TEST(ExploreFaults, TheGeneratorPutsSomeInsideAndTheShrinkerCanTakeThemOut) {
  int inside = 0, postgres_inside = 0;
  const Space space{2, 3, 6, 3, {"connect-crash", "postgres-crash"}};
  for (int i = 1; i <= 60; ++i) {
    const Case c = generate_case(5, i, space);
    if (!c.faults.empty() && fault_inside(c, 0)) {
      ++inside;
      postgres_inside += c.faults.front() == "postgres-crash";
    }
  }
  EXPECT_GT(inside, 0);
  EXPECT_EQ(postgres_inside, 0);
  Case c = hand_made();
  c.faults = {"connect-crash"};
  c.faults_inside = true;
  // A "pipeline" that fails only while a transaction is open across the fault.
  const auto fails = [](const Case& x) { return fault_inside(x, 0); };
  const Shrunk shrunk =
      shrink(c, fails, std::chrono::steady_clock::now() + std::chrono::seconds(30));
  EXPECT_TRUE(fault_inside(shrunk.minimal, 0));
  EXPECT_EQ(shrunk.minimal.transactions.size(), 2u);
}

// A failure that needs many rows in one transaction (say, more than a batch of 700): the
// shrinker halves a large insert while it still fails (3,000 -> 1,500 -> 750).
TEST(ExploreShrink, HalvesALargeInsertWhileItStillFails) {
  Case c = hand_made();
  auto& rows = c.transactions[0].statements[0].rows;
  for (int id = 2; id <= 3000; ++id)
    rows.push_back({{std::to_string(id), id, true}, {"'x'", "x", true}});
  const auto needs_a_batch = [](const Case& x) {
    size_t most = 0;
    for (const auto& tx : x.transactions)
      for (const auto& st : tx.statements) most = std::max(most, st.rows.size());
    return most > 700;
  };
  const Shrunk shrunk =
      shrink(c, needs_a_batch, std::chrono::steady_clock::now() + std::chrono::seconds(30));
  size_t most = 0;
  for (const auto& tx : shrunk.minimal.transactions)
    for (const auto& st : tx.statements) most = std::max(most, st.rows.size());
  EXPECT_EQ(most, 750u);
  EXPECT_EQ(shrunk.minimal.transactions.size(), 1u);
}

// A "pipeline" that loses updates: the shrinker keeps an insert and the update after it,
// and drops everything else it can.
TEST(ExploreShrink, KeepsOnlyWhatTheFailureNeeds) {
  Case big = generate_case(11, 2, Space{2, 5, 6, 3, {}});
  big.settings.skipped_operations = "none";
  const Case small = hand_made();
  big.transactions.insert(big.transactions.begin(), small.transactions.begin(),
                          small.transactions.end());
  big.tables.insert(big.tables.begin(), small.tables.front());
  for (size_t x = 3; x < big.transactions.size(); ++x)
    for (auto& st : big.transactions[x].statements) ++st.table;
  const auto loses_an_update = [](const Case& c) {
    return scenario_file_text(c).find("\nu ") != std::string::npos;
  };
  ASSERT_TRUE(loses_an_update(big));
  const Shrunk shrunk =
      shrink(big, loses_an_update, std::chrono::steady_clock::now() + std::chrono::seconds(30));
  EXPECT_TRUE(shrunk.finished);
  EXPECT_LE(scenario_steps(shrunk.minimal), 6u) << scenario_file_text(shrunk.minimal);
  EXPECT_EQ(shrunk.minimal.tables.size(), 1u);
  EXPECT_FALSE(shrunk.minimal.final_state);
}

}  // namespace
}  // namespace cdc::explore
