#pragma once
#include <string>
#include <vector>

namespace cdc {

// A version set: a Debezium release with the Kafka it is built against, named by a file in
// ci/jars/versions/ and resolved by ci/resolve-jars.sh into a jars cache of its own.
struct VersionSet {
  std::string name{};      // "debezium-3.4"
  std::string key{};       // its jars cache's key (of the poms and the set's file)
  std::string debezium{};  // "3.4.1.Final": the tag of quay.io/debezium/connect
  std::string kafka{};     // "4.1.1": the tag of apache/kafka
};

// Every set the build knows, and the default one (ci/jars/versions/default).
const std::vector<VersionSet>& version_sets();
const std::string& default_version_set();

// --versions, else $CDC_VERSIONS, else the default ("" = not given). A name that is no set is
// a one-line error listing the sets.
std::string choose_version_set(const std::string& flag);
const VersionSet& version_set_named(const std::string& name);

}  // namespace cdc
