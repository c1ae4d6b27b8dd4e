// Lists written beside their registries must not drift from them: the anomaly kinds in the
// report's schema and the README's table, the faults and the scenario files' steps in the
// README's tables.
#include <gtest/gtest.h>

#include <functional>
#include <regex>
#include <set>

#include <nlohmann/json.hpp>

#include "harness/checkers/anomaly.hpp"
#include "harness/common/files.hpp"
#include "harness/faults/fault_catalogue.hpp"
#include "harness/scenario_file/step_handlers.hpp"

namespace cdc::unit {
namespace {

std::set<std::string> anomaly_kinds() {
  std::set<std::string> kinds;
  for (const auto kind : all_anomaly_kinds()) kinds.insert(to_string(kind));
  return kinds;
}

// The first cells of the README table headed `| header |`, in order, as text: backticks
// dropped, `\|` read as `|`.
std::vector<std::string> readme_first_cells(const std::string& header) {
  const std::string readme = read_file(std::string(CDC_SOURCE_DIR) + "/README.md");
  const auto at = readme.find("\n| " + header + " |");
  EXPECT_NE(at, std::string::npos) << "the README has no table headed `" << header << "`";
  std::vector<std::string> cells;
  if (at == std::string::npos) return cells;
  size_t line = readme.find('\n', at + 1);
  line = readme.find('\n', line + 1);  // past the |---| row
  while (line != std::string::npos && readme.compare(line + 1, 2, "| ") == 0) {
    std::string cell;
    for (size_t i = line + 3; i < readme.size() && readme[i] != '\n'; ++i) {
      if (readme[i] == '\\' && readme[i + 1] == '|') continue;
      if (readme[i] == '|' && readme[i - 1] != '\\') break;
      if (readme[i] != '`') cell += readme[i];
    }
    cells.push_back(cell.substr(0, cell.find_last_not_of(' ') + 1));
    line = readme.find('\n', line + 1);
  }
  return cells;
}

// The names (`name`) in the first cells of the README table headed `| header |`.
std::set<std::string> readme_table(const std::string& header) {
  std::set<std::string> names;
  const std::regex name("[a-z_-]+");
  for (const auto& cell : readme_first_cells(header)) {
    if (std::regex_match(cell, name)) names.insert(cell);
  }
  return names;
}

TEST(RegistryLists, TheSchemaRequiresEveryAnomalyKind) {
  const auto schema =
      nlohmann::json::parse(read_file(std::string(CDC_SOURCE_DIR) + "/reports/report.schema.json"));
  std::set<std::string> required;
  // Wherever the schema lists anomaly counts, it lists them all.
  const std::function<void(const nlohmann::json&)> visit = [&](const nlohmann::json& node) {
    if (node.is_object()) {
      if (node.contains("required") && node["required"].is_array()) {
        std::set<std::string> names(node["required"].begin(), node["required"].end());
        if (names.count("lost")) required = names;
      }
      for (const auto& [key, value] : node.items()) visit(value);
    } else if (node.is_array()) {
      for (const auto& value : node) visit(value);
    }
  };
  visit(schema);
  EXPECT_EQ(required, anomaly_kinds());
}

TEST(RegistryLists, TheReadmeTablesNameEveryAnomalyKindAndEveryFault) {
  EXPECT_EQ(readme_table("kind"), anomaly_kinds());
  const auto faults = fault_names();
  EXPECT_EQ(readme_table("fault"), std::set<std::string>(faults.begin(), faults.end()));
}

// The step table is the runner's: the check, `run --help` and this table read it.
TEST(RegistryLists, TheReadmesStepTableIsTheRunnersSteps) {
  std::vector<std::string> usages;
  for (const auto& kind : step_kinds())
    usages.insert(usages.end(), kind.usages.begin(), kind.usages.end());
  EXPECT_EQ(readme_first_cells("step"), usages);
}

}  // namespace
}  // namespace cdc::unit
