// The README's "a new scenario is a few lines" example, as a real test (lint.readme-example
// checks that the README shows exactly this).
#include <gtest/gtest.h>

#include "scenarios/e2e/own_table.hpp"

namespace cdc::scenarios {
namespace {

TEST(MyFamily, WhatItGuarantees) {
  OwnTable table(Pipeline::shared(), "mine", table_with("a text"));
  const int id = table.insert("a", "'hello'");
  const Verdict verdict =
      check_events(table.next(),  // every event up to a fence row
                   {expect::create({{"id", id}}).with_after(table.row(id))}, table.rules());
  EXPECT_TRUE(verdict.ok()) << verdict.summary();
}

}  // namespace
}  // namespace cdc::scenarios
