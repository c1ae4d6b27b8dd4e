// Lists written beside their registries must not drift from them: the anomaly kinds in the
// report's schema and the README's table, the faults in the README's table.
#include <gtest/gtest.h>

#include <functional>
#include <regex>
#include <set>

#include <nlohmann/json.hpp>

#include "harness/checkers/anomaly.hpp"
#include "harness/common/files.hpp"
#include "harness/faults/fault_catalogue.hpp"

namespace cdc::unit {
namespace {

std::set<std::string> anomaly_kinds() {
  std::set<std::string> kinds;
  for (const auto kind : all_anomaly_kinds()) kinds.insert(to_string(kind));
  return kinds;
}

// The first cells (`name`) of the README table whose header row starts with `| header |`.
std::set<std::string> readme_table(const std::string& header) {
  const std::string readme = read_file(std::string(CDC_SOURCE_DIR) + "/README.md");
  const auto at = readme.find("\n| " + header + " |");
  EXPECT_NE(at, std::string::npos) << "the README has no table headed `" << header << "`";
  std::set<std::string> names;
  if (at == std::string::npos) return names;
  const std::regex row(R"(^\| `([a-z-]+)` \|)");
  size_t line = readme.find('\n', at + 1);
  line = readme.find('\n', line + 1);  // past the |---| row
  while (line != std::string::npos && readme.compare(line + 1, 1, "|") == 0) {
    const size_t end = readme.find('\n', line + 1);
    const std::string text = readme.substr(line + 1, end - line - 1);
    std::smatch m;
    if (std::regex_search(text, m, row)) names.insert(m[1]);
    line = end;
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

}  // namespace
}  // namespace cdc::unit
