// Table names as users write them, into SQL and topic names as Postgres and Debezium have them.
#include "harness/common/sql_names.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace cdc {
namespace {

TEST(SqlNames, BarePartsFoldToLowerCaseAndQuotedOnesKeepTheirCase) {
  EXPECT_EQ(parse_table_name("Public.Orders").dotted(), "public.orders");
  EXPECT_EQ(parse_table_name("public.\"Orders_x\"").dotted(), "public.Orders_x");
  EXPECT_EQ(parse_table_name("\"Sales Dept\".\"Order\"").dotted(), "Sales Dept.Order");
  EXPECT_EQ(parse_table_name("orders").dotted(), "public.orders");
}

TEST(SqlNames, SqlQuotesEveryPartSoReservedWordsAndQuotesSurvive) {
  EXPECT_EQ(parse_table_name("inventory.\"select\"").sql(), "\"inventory\".\"select\"");
  EXPECT_EQ(parse_table_name("s.\"a\"\"b\"").sql(), "\"s\".\"a\"\"b\"");
  EXPECT_EQ(parse_table_name("s.\"a\"\"b\"").table, "a\"b");
  EXPECT_EQ(parse_table_name("s.\"a.b\"").table, "a.b");
}

TEST(SqlNames, MalformedNamesSayHowToWriteThem) {
  EXPECT_THROW(parse_table_name("a.b.c"), std::invalid_argument);
  EXPECT_THROW(parse_table_name("a."), std::invalid_argument);
  EXPECT_THROW(parse_table_name("\"open"), std::invalid_argument);
  EXPECT_THROW(parse_table_name("\"a\"b"), std::invalid_argument);
  EXPECT_THROW(parse_table_name(""), std::invalid_argument);
}

}  // namespace
}  // namespace cdc
