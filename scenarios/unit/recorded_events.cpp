#include "scenarios/unit/recorded_events.hpp"

#include <fstream>

#include "harness/observer/envelope_decoder.hpp"

namespace cdc::unit {

std::vector<ChangeEvent> recorded_events(const std::string& file) {
  std::ifstream in(std::string(CDC_RECORDED_DIR) + "/" + file);
  const auto records = nlohmann::json::parse(in);
  std::vector<ChangeEvent> events;
  for (const auto& record : records) {
    KafkaPosition position{"cdctest.public.customers", 0, record["offset"], 0, 0};
    const std::string key = record["key"].dump();
    const std::string value = record["value"].dump();
    events.push_back(decode_change_event(
        key, record["value"].is_null() ? std::nullopt : std::optional<std::string_view>(value),
        position));
  }
  return events;
}

nlohmann::json customer(int id, const char* first, const char* last, const char* email) {
  return {{"id", id}, {"first_name", first}, {"last_name", last}, {"email", email}};
}

std::vector<Mutation> recorded_mutations() {
  return {
      {Op::Create, {{"id", 1005}}, std::nullopt, customer(1005, "A", "B", "ab@x.org"), 729},
      {Op::Update,
       {{"id", 1001}},
       customer(1001, "Sally", "Thomas", "sally.thomas@acme.com"),
       customer(1001, "Sally", "Thomas", "new@x.org"),
       729},
      {Op::Delete,
       {{"id", 1002}},
       customer(1002, "George", "Bailey", "gbailey@foobar.com"),
       std::nullopt,
       729},
      {Op::Create, {{"id", 1006}}, std::nullopt, customer(1006, "T", "X", "tx1@x.org"), 731},
      {Op::Create, {{"id", 1007}}, std::nullopt, customer(1007, "T", "Y", "tx2@x.org"), 731},
      {Op::Update,
       {{"id", 1006}},
       customer(1006, "T", "X", "tx1@x.org"),
       customer(1006, "T", "Z", "tx1@x.org"),
       731},
      {Op::Delete, {{"id", 1005}}, customer(1005, "A", "B", "ab@x.org"), std::nullopt, 732},
  };
}

}  // namespace cdc::unit
