#pragma once
#include <map>
#include <string>
#include <vector>

namespace cdc {

// A known defect of Debezium or Kafka that a scenario reproduces, as reports/upstream/
// defects.json records it: the one place that names fix versions. A scenario asks it whether
// the version it runs is affected, and asserts the defect there and its absence elsewhere.
struct UpstreamDefect {
  std::string id{};  // "dbz#633", "KAFKA-20693"
  std::string link{};
  std::string title{};
  std::string scenario{};  // the test that reproduces it
  // Release line ("3.6") -> its first fixed release ("3.6.1.Final").
  std::map<std::string, std::string> fixed_in{};
  std::string introduced_in{};  // "" when every version before the fix has it
};

// Debezium's versions in order: numbers first, then Alpha < Beta < CR < Final
// ("3.6.1.Final" < "3.7.0.Alpha1" < "3.7.0.Final"). Negative, zero or positive.
int compare_versions(const std::string& a, const std::string& b);

// Whether `version` has the defect: before the fixed release on its line; on a line the table
// does not list, when that line is older than every fixed line (or lies between them).
bool affects(const UpstreamDefect& defect, const std::string& version);

const std::vector<UpstreamDefect>& upstream_defects();
// The defect of that id; a HarnessError naming the ids there are when there is none.
const UpstreamDefect& upstream_defect(const std::string& id);

}  // namespace cdc
