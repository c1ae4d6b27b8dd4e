#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "harness/explore/case.hpp"

namespace cdc::explore {

// What the generator may draw from.
struct Space {
  int max_tables = 2;
  int max_columns = 5;  // besides the key
  int max_transactions = 6;
  int max_statements = 3;             // per transaction
  std::vector<std::string> faults{};  // catalogue faults a case may carry (none: no faults)
  int bulk_percent = 20;              // how often a case has a bulk load (COPY or INSERT)
  bool fault_in_every_case = false;   // else half the cases (with faults to draw)
  int metadata_percent = 30;          // how often provide.transaction.metadata is on
  int schema_change_percent = 20;     // how often a case has schema changes mid-stream
  int time_column_percent = 20;       // how often a date, time or timestamp column
  // How often a case without faults has transactions in two sessions at once (one begun
  // before the one before it commits)
  int concurrent_percent = 25;
  int message_key_percent = 15;   // how often message.key.columns names a column
  int partitions_percent = 15;    // how often the connector's topics get 3 partitions
  int second_fault_percent = 30;  // how often a case with a fault has a second one
  int wide_numeric_percent = 30;  // how often its numeric(10,2) columns are numeric(20,6)
  // How often a case without faults has rows before the connector (and a snapshot.mode)
  int snapshot_percent = 15;
  // How often a case without faults asks for a snapshot by signal mid-stream
  int signal_percent = 15;
};

// What `explore --focus NAME` puts in every case it can: the name, what it does (for
// --help), and the space it draws from then.
struct Focus {
  std::string name;
  std::string what;
  void (*apply)(Space&);
};
const std::vector<Focus>& focuses();
const Focus* focus_named(const std::string& name);  // nullptr: no such focus

// Case `index` of the exploration seeded with `seed`: the same pair always gives the same case.
Case generate_case(uint64_t seed, int index, const Space& space);

}  // namespace cdc::explore
