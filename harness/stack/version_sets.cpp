#include "harness/stack/version_sets.hpp"

#include <cstdlib>
#include <sstream>

#include "harness/common/errors.hpp"

namespace cdc {

const std::vector<VersionSet>& version_sets() {
  static const std::vector<VersionSet> sets = [] {
    std::vector<VersionSet> out;
    std::istringstream entries(CDC_VERSION_SETS);  // "NAME=KEY,NAME=KEY" (CMakeLists.txt)
    for (std::string entry; std::getline(entries, entry, ',');) {
      const size_t equals = entry.find('=');
      if (equals != std::string::npos)
        out.push_back({entry.substr(0, equals), entry.substr(equals + 1)});
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
