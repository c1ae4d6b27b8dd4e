// Configs that stream but capture nothing or less than they name: each is one warning line.
#include "harness/connector/capture_check.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace cdc::unit {
namespace {
using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

ConnectorConfig connector(nlohmann::json settings) {
  return ConnectorConfig{"customer-cdc", std::move(settings)};
}

const CaptureFacts kFacts{
    {"public.customers", "public.orders", "sales.customer_notes"}, {"public.customers"}, true};

TEST(CaptureCheck, AnIncludeListThatMatchesATableSaysNothing) {
  EXPECT_THAT(capture_warnings(connector({{"table.include.list", "public.customers"}}), kFacts),
              IsEmpty());
  EXPECT_THAT(
      capture_warnings(connector({{"table.include.list", "public\\.cust.*, sales\\..*"}}), kFacts),
      IsEmpty());
  EXPECT_THAT(capture_warnings(connector(nlohmann::json::object()), kFacts), IsEmpty())
      << "no list: every table";
}

TEST(CaptureCheck, AnEntryThatMatchesNoTableNamesTheTablesItCouldHaveMeant) {
  const auto warnings = capture_warnings(
      connector({{"table.include.list", "public.customers,public.no_such_table"}}), kFacts);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_THAT(warnings[0], AllOf(HasSubstr("'public.no_such_table'"), HasSubstr("matches no table"),
                                 HasSubstr("did you mean public.customers")));
  EXPECT_THAT(capture_warnings(connector({{"table.include.list", "public.custmers"}}), kFacts)[0],
              HasSubstr("did you mean public.customers,"))
      << "the closest name first";
}

TEST(CaptureCheck, ATableMissingFromAPublicationDebeziumDoesNotManageIsNamed) {
  const auto config = connector({{"table.include.list", "public.customers,public.orders"},
                                 {"publication.autocreate.mode", "disabled"}});
  EXPECT_THAT(
      capture_warnings(config, kFacts),
      ElementsAre(AllOf(HasSubstr("public.orders"), HasSubstr("not in publication dbz_publication"),
                        HasSubstr("ALTER PUBLICATION dbz_publication ADD TABLE"))));
  // Debezium manages the publication (the default): it adds what the list names.
  EXPECT_THAT(capture_warnings(connector({{"table.include.list", "public.orders"}}), kFacts),
              IsEmpty());
}

TEST(CaptureCheck, ATableWithoutReplicaIdentityIsNamedWhereUpdatesAndDeletesAreExpected) {
  CaptureFacts facts = kFacts;
  facts.without_identity["public.orders"] = "no primary key and REPLICA IDENTITY DEFAULT";
  const auto warnings =
      capture_warnings(connector({{"table.include.list", "public.orders"}}), facts);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_THAT(warnings[0], AllOf(HasSubstr("public.orders"), HasSubstr("no primary key"),
                                 HasSubstr("REPLICA IDENTITY FULL")));
  EXPECT_THAT(capture_warnings(connector({{"table.include.list", "public.customers"}}), facts),
              IsEmpty())
      << "a table the connector does not include";
  EXPECT_THAT(capture_warnings(connector({{"table.include.list", "public.orders"},
                                          {"skipped.operations", "u,d,t"}}),
                               facts),
              IsEmpty())
      << "a connector that skips updates and deletes expects none";
}

}  // namespace
}  // namespace cdc::unit
