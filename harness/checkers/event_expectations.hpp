#pragma once
#include <map>
#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/checkers/verdict.hpp"
#include "harness/observer/change_event.hpp"
#include "harness/workload/customers_workload.hpp"

namespace cdc {

// An event the pipeline owes us. Unset optionals are not checked; `before_absent` demands
// that the event carry no before image at all.
struct ExpectedEvent {
  Op op = Op::Create;
  nlohmann::json key;
  std::optional<nlohmann::json> before;
  bool before_absent = false;
  std::optional<nlohmann::json> after;
  std::optional<int64_t> tx_id;
};

// How Debezium renders a mutation under the table's REPLICA IDENTITY and the connector's
// settings.
struct EventRules {
  bool full_before_image = true;  // REPLICA IDENTITY FULL: updates and deletes carry the old row
  bool tombstones = true;         // tombstones.on.delete
};

std::vector<ExpectedEvent> expected_events(const std::vector<Mutation>& mutations,
                                           const EventRules& rules);

// A row that existed before the connector started: an op=r snapshot read of it.
ExpectedEvent expected_snapshot_read(const nlohmann::json& row);

// Compares, key by key, the events observed for the expected keys (plus `also_watch`,
// keys that must see nothing, e.g. a rolled-back insert) with the expected ones and names
// each anomaly: missing, duplicate, unexpected, out of order, wrong content.
Verdict check_events(const std::vector<ChangeEvent>& observed,
                     const std::vector<ExpectedEvent>& expected,
                     const std::vector<nlohmann::json>& also_watch = {});

// Each row in `ids` arrives exactly once, as a snapshot read (op=r) or a create (op=c),
// whichever side of the snapshot/stream boundary it fell on: a missing row is named, and so
// is a row seen twice (e.g. both as r and as c).
Verdict check_each_row_once(const std::vector<ChangeEvent>& observed, const std::vector<int>& ids);

// The table as the events say it is: for each key, the last after image (deletes remove it).
std::map<std::string, nlohmann::json> table_state(const std::vector<ChangeEvent>& events);

// The events of one transaction: every one carries its txId, and across keys they arrive
// in statement (commit LSN) order with non-decreasing LSNs.
Verdict check_transaction_order(const std::vector<ChangeEvent>& observed,
                                const std::vector<Mutation>& mutations);

}  // namespace cdc
