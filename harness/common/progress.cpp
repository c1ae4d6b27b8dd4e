#include "harness/common/progress.hpp"

#include <cstdio>
#include <mutex>

namespace cdc {
namespace {
std::mutex g_print_mutex;
}

Progress::Progress(bool quiet) : start_(std::chrono::steady_clock::now()), quiet_(quiet) {}

double Progress::elapsed_seconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

void Progress::stage(std::string_view component, std::string_view message) const {
  if (quiet_) return;
  std::lock_guard lock(g_print_mutex);
  std::fprintf(stderr, "[%6.1fs] %-9.*s %.*s\n", elapsed_seconds(),
               static_cast<int>(component.size()), component.data(),
               static_cast<int>(message.size()), message.data());
  std::fflush(stderr);
}

}  // namespace cdc
