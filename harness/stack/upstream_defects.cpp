#include "harness/stack/upstream_defects.hpp"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "harness/common/errors.hpp"
#include "harness/common/files.hpp"

namespace cdc {
namespace {

// "3.7.0.Alpha1" -> {3, 7, 0}, qualifier rank (Alpha 0, Beta 1, CR 2, Final or none 3), and
// the qualifier's number.
struct Version {
  int parts[3] = {0, 0, 0};
  int rank = 3;
  int qualifier_number = 0;
};

Version parse(const std::string& text) {
  Version v;
  char qualifier[32] = "";
  std::sscanf(text.c_str(), "%d.%d.%d.%31s", &v.parts[0], &v.parts[1], &v.parts[2], qualifier);
  const std::string q = qualifier;
  const auto number_after = [&](size_t at) { return std::atoi(q.c_str() + at); };
  if (q.rfind("Alpha", 0) == 0)
    v.rank = 0, v.qualifier_number = number_after(5);
  else if (q.rfind("Beta", 0) == 0)
    v.rank = 1, v.qualifier_number = number_after(4);
  else if (q.rfind("CR", 0) == 0)
    v.rank = 2, v.qualifier_number = number_after(2);
  return v;
}

std::string line_of(const std::string& version) {
  const Version v = parse(version);
  return std::to_string(v.parts[0]) + "." + std::to_string(v.parts[1]);
}

std::vector<UpstreamDefect> load() {
  const std::string file = CDC_SOURCE_DIR "/reports/upstream/defects.json";
  const auto doc = nlohmann::json::parse(read_file(file), nullptr, false);
  if (!doc.is_object() || !doc.contains("defects"))
    throw HarnessError(file + " is not the defect table (an object with \"defects\")");
  std::vector<UpstreamDefect> defects;
  for (const auto& d : doc["defects"]) {
    UpstreamDefect defect{d.at("id"),
                          d.at("link"),
                          d.at("title"),
                          d.value("scenario", ""),
                          d.at("fixed_in").get<std::map<std::string, std::string>>(),
                          d.value("introduced_in", "")};
    defects.push_back(std::move(defect));
  }
  return defects;
}

}  // namespace

int compare_versions(const std::string& a, const std::string& b) {
  const Version x = parse(a), y = parse(b);
  for (int i = 0; i < 3; ++i)
    if (x.parts[i] != y.parts[i]) return x.parts[i] < y.parts[i] ? -1 : 1;
  if (x.rank != y.rank) return x.rank < y.rank ? -1 : 1;
  if (x.qualifier_number != y.qualifier_number)
    return x.qualifier_number < y.qualifier_number ? -1 : 1;
  return 0;
}

bool affects(const UpstreamDefect& defect, const std::string& version) {
  if (!defect.introduced_in.empty() && compare_versions(version, defect.introduced_in) < 0)
    return false;
  const std::string line = line_of(version);
  if (const auto fixed = defect.fixed_in.find(line); fixed != defect.fixed_in.end())
    return compare_versions(version, fixed->second) < 0;
  // A line the table does not list: fixed only if it is newer than every fixed line.
  for (const auto& [fixed_line, release] : defect.fixed_in)
    if (compare_versions(line + ".0", fixed_line + ".0") < 0) return true;
  return defect.fixed_in.empty();
}

const std::vector<UpstreamDefect>& upstream_defects() {
  static const std::vector<UpstreamDefect> defects = load();
  return defects;
}

const UpstreamDefect& upstream_defect(const std::string& id) {
  std::string ids;
  for (const auto& d : upstream_defects()) {
    if (d.id == id) return d;
    ids += (ids.empty() ? "" : ", ") + d.id;
  }
  throw HarnessError("no defect " + id + " in reports/upstream/defects.json: it has " + ids);
}

}  // namespace cdc
