#pragma once
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/checkers/anomaly.hpp"
#include "harness/observer/change_event.hpp"
#include "harness/scenario_file/json_pattern.hpp"

namespace cdc {

// Something observed on a topic, as a scenario's expectations see it: a change event
// ({"op", "key", "before", "after", "source"}) or, for topics that carry no Debezium envelope
// (an outbox router's), a record ({"key", "value", "headers"}).
struct Observed {
  nlohmann::json view{};
  std::string key_text{};  // the key as JSON text: events are grouped by it
  std::string where{};     // "partition 0, offset 12", for people
};

Observed observed_event(const ChangeEvent& event);
// A record's key and value (JSON where they parse as JSON, a string otherwise; an embedded
// {"schema", "payload"} is left as its payload) and headers ({"name": "value"}).
Observed observed_record(const nlohmann::json& key, const nlohmann::json& value,
                         const nlohmann::json& headers, const KafkaPosition& position);

// One expected item: a line of an `expect events` or `expect records` body.
struct Expected {
  int line = 0;
  nlohmann::json view{};
  std::string key_text{};
};

// "c {"id": 1} {"id": 1, "name": "a"}" - op, key, then the after image (the before image for
// d); before=, after= and source= name images explicitly. Throws std::invalid_argument
// saying what is wrong.
Expected parse_event_line(const std::string& text, int line);
// "{"id": 1} {"payload": …} headers={"id": "…"}" - key, then value (null: a tombstone).
Expected parse_record_line(const std::string& text, int line);
// The lines --record writes: what parse_*_line reads back as the same event or record.
std::string event_line(const Observed& observed);
std::string record_line(const Observed& observed);

enum class OrderMode {
  PerKey,     // each key's items in the order listed (Kafka's promise within a partition)
  Unordered,  // any order
  Total,      // exactly the order listed (one partition)
};

struct ExpectRules {
  MatchMode match = MatchMode::Exact;
  OrderMode order = OrderMode::PerKey;
  bool allow_duplicates = false;  // an item delivered again (at-least-once, after a crash)
  std::vector<std::string> ignore{};
};

struct ExpectOutcome {
  std::vector<size_t> missing{};     // indexes into expected
  std::vector<size_t> unexpected{};  // indexes into observed
  size_t duplicates = 0;             // allowed re-deliveries
  bool satisfied() const { return missing.empty(); }
  bool ok() const { return missing.empty() && unexpected.empty(); }
};

ExpectOutcome match_expected(const std::vector<Expected>& expected,
                             const std::vector<Observed>& observed, const ExpectRules& rules);

// The anomalies a mismatch amounts to, in the checkers' vocabulary: lost (nothing of the
// key arrived), image (the key arrived, differently), order (the very item arrived, out of
// place), duplicate (a matched item again), phantom (an item nothing expected).
std::map<AnomalyKind, size_t> classify(const ExpectOutcome& outcome,
                                       const std::vector<Expected>& expected,
                                       const std::vector<Observed>& observed,
                                       const ExpectRules& rules);
// "1 image, 1 phantom"
std::string anomaly_summary(const std::map<AnomalyKind, size_t>& anomalies);

// What went wrong, for people: each missing item with its line and the closest observed item
// of its key, member by member; then what arrived that nothing expected.
std::string explain(const ExpectOutcome& outcome, const std::vector<Expected>& expected,
                    const std::vector<Observed>& observed, const ExpectRules& rules,
                    const std::string& file);

}  // namespace cdc
