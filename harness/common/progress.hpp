#pragma once
#include <chrono>
#include <string>
#include <string_view>

namespace cdc {

// Prints the stages of long work as they happen, each stamped with the time since start,
// so a person watching bring-up sees where the seconds go.
class Progress {
 public:
  explicit Progress(bool quiet = false);
  void stage(std::string_view component, std::string_view message) const;
  double elapsed_seconds() const;

 private:
  std::chrono::steady_clock::time_point start_;
  bool quiet_;
};

}  // namespace cdc
