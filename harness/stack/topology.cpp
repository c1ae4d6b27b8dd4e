#include "harness/stack/topology.hpp"

#include <cstdlib>

#include "harness/common/errors.hpp"

namespace cdc {

namespace {

int count_of(const std::string& flag, const char* flag_name, const char* env_name, int most) {
  const char* from_env = std::getenv(env_name);
  const std::string text = !flag.empty() ? flag : from_env ? from_env : "";
  if (text.empty()) return 1;
  const std::string source = !flag.empty() ? flag_name : std::string("$") + env_name;
  size_t used = 0;
  int count = 0;
  try {
    count = std::stoi(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || count < 1 || count > most) {
    throw HarnessError(source + " must be a number from 1 to " + std::to_string(most) + ", not '" +
                       text + "'");
  }
  return count;
}

}  // namespace

std::string Topology::describe() const {
  return std::to_string(brokers) + (brokers == 1 ? " broker, " : " brokers, ") +
         std::to_string(workers) + (workers == 1 ? " Connect worker" : " Connect workers");
}

Topology choose_topology(const std::string& brokers_flag, const std::string& workers_flag) {
  // More nodes than these do not fit two cores; a quorum of 3 is what the faults need.
  return Topology{count_of(brokers_flag, "--brokers", "CDC_BROKERS", 5),
                  count_of(workers_flag, "--workers", "CDC_WORKERS", 3)};
}

}  // namespace cdc
