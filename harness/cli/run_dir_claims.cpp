#include "harness/cli/run_dir_claims.hpp"

#include <unistd.h>

#include <fstream>

#include "harness/common/process.hpp"
#include "harness/common/run_dir.hpp"

namespace cdc::cli {
namespace fs = std::filesystem;

fs::path owner_file(const fs::path& run_dir) {
  return RunDir(run_dir).owner_pid();
}

std::optional<int> live_pid_in(const fs::path& file, const std::string& marker) {
  std::ifstream in(file);
  int pid = 0;
  if (!(in >> pid) || pid <= 0 || pid == ::getpid() || !is_alive(pid, marker)) return std::nullopt;
  return pid;
}

std::optional<int> live_owner(const fs::path& run_dir) {
  return live_pid_in(owner_file(run_dir), "cdc-harness");
}

fs::path guard_file(const fs::path& run_dir) {
  return RunDir(run_dir).guard_pid();
}

std::optional<int> guarded_process(const fs::path& run_dir) {
  if (!live_pid_in(guard_file(run_dir), run_dir.string())) return std::nullopt;
  std::ifstream in(guard_file(run_dir));
  int guard = 0, guarded = 0;
  in >> guard >> guarded;
  return guarded;
}

}  // namespace cdc::cli
