#pragma once
#include <sys/resource.h>

namespace cdc {

// What the harness process has used so far: CPU seconds of all its threads (user + system),
// and its peak resident set.
struct ProcessUsage {
  double cpu_s = 0;
  double peak_rss_mb = 0;
};

inline ProcessUsage process_usage() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return {seconds(usage.ru_utime) + seconds(usage.ru_stime),
          static_cast<double>(usage.ru_maxrss) / 1024.0};
}

}  // namespace cdc
