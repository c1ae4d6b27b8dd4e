#pragma once
#include <vector>

#include "harness/common/progress.hpp"
#include "harness/connector/connector_config.hpp"
#include "harness/experiment/report_data.hpp"
#include "harness/stack/endpoints.hpp"
#include "harness/stack/topology.hpp"

namespace cdc {

// Debezium's defaults (poll.interval.ms=500, the producer's linger.ms=5) and a low-latency
// profile (poll.interval.ms=10, linger.ms=0).
std::vector<ConnectorProfile> builtin_profiles();
// A connector of its own (name, slot, topics suffixed with `tag`) with the profile's settings.
ConnectorConfig profile_connector(const ConnectorConfig& base, const ConnectorProfile& profile,
                                  const std::string& tag);

struct ReportOptions {
  std::vector<double> rates = {50, 200};  // transactions per second, one step each
  LoadProfile load{};                     // duration, sessions, mix; rate set per step
  std::vector<ConnectorProfile> profiles = builtin_profiles();
  // In the names of the report's connectors and rows, so an external stack's cleanup finds them.
  std::string run_id = "report";
  std::string stack = "native";  // the backend the report ran on, for the reader
  Topology topology{};           // its brokers and workers, for the reader
  std::string version_set{};     // its version set (native), for the reader
  nlohmann::json worker{};       // what the worker and connector run with (worker_settings.hpp)
};

// For each profile: a connector of its own derived from `base`, then one load step per
// rate, each judged by the history checker and measured stage by stage.
ReportData run_report(const StackEndpoints& endpoints, const ConnectorConfig& base,
                      const ReportOptions& options, const Progress& progress);

}  // namespace cdc
