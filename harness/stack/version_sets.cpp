#include "harness/stack/version_sets.hpp"

#include <cstdlib>
#include <sstream>

#include "harness/common/errors.hpp"

namespace cdc {

const std::vector<VersionSet>& version_sets() {
  static const std::vector<VersionSet> sets = [] {
    std::vector<VersionSet> out;
    // "NAME=KEY=DEBEZIUM=KAFKA,…" (CMakeLists.txt)
    std::istringstream entries(CDC_VERSION_SETS);
    for (std::string entry; std::getline(entries, entry, ',');) {
      std::istringstream fields(entry);
      VersionSet set;
      std::getline(fields, set.name, '=');
      std::getline(fields, set.key, '=');
      std::getline(fields, set.debezium, '=');
      std::getline(fields, set.kafka, '=');
      if (!set.kafka.empty()) out.push_back(std::move(set));
    }
    return out;
  }();
  return sets;
}

const std::string& default_version_set() {
  static const std::string name = CDC_DEFAULT_VERSION_SET;
  return name;
}

const VersionSet& version_set_named(const std::string& name) {
  std::string known;
  for (const auto& set : version_sets()) {
    if (set.name == name) return set;
    known += (known.empty() ? "" : ", ") + set.name;
  }
  throw HarnessError("no version set '" + name + "': the sets are " + known +
                     " (ci/jars/versions/; the default is " + default_version_set() + ")");
}

std::string choose_version_set(const std::string& flag) {
  const char* from_env = std::getenv("CDC_VERSIONS");
  const std::string name = !flag.empty()                   ? flag
                           : from_env && *from_env != '\0' ? from_env
                                                           : default_version_set();
  return version_set_named(name).name;
}

}  // namespace cdc
