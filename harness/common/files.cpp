#include "harness/common/files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "harness/common/errors.hpp"
#include "harness/common/text.hpp"

namespace cdc {
namespace fs = std::filesystem;

fs::path harness_cache_dir() {
  const auto set = [](const char* name) {
    const char* value = std::getenv(name);
    return value != nullptr && *value != '\0' ? std::string(value) : std::string();
  };
  std::string base = set("XDG_CACHE_HOME");
  if (base.empty()) base = (set("HOME").empty() ? std::string("/tmp") : set("HOME")) + "/.cache";
  return fs::path(base) / "cdc-harness";
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw HarnessError("cannot read " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_file(const fs::path& path, const std::string& content, fs::perms perms) {
  // A name of this writer's own: two processes (scenario files run side by side on one stack)
  // write the same file, and with one shared name one renamed the other's away mid-write.
  static std::atomic<unsigned> writes{0};
  const fs::path temp =
      path.string() + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(++writes);
  const int fd =
      ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, static_cast<mode_t>(perms));
  if (fd < 0) throw HarnessError("cannot write " + temp.string());
  ::fchmod(fd, static_cast<mode_t>(perms));
  const char* data = content.data();
  size_t left = content.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, data, left);
    if (n <= 0) {
      ::close(fd);
      throw HarnessError("cannot write " + temp.string());
    }
    data += n;
    left -= static_cast<size_t>(n);
  }
  ::close(fd);
  fs::rename(temp, path);
}

std::map<std::string, std::string> read_key_values(const fs::path& path) {
  std::map<std::string, std::string> values;
  std::istringstream in(read_file(path));
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.empty() || line[0] == '#') continue;
    if (line.rfind("export ", 0) == 0) line = line.substr(7);
    const auto eq = line.find('=');
    if (eq == std::string::npos) {
      throw HarnessError(path.string() + " line " + std::to_string(number) +
                         " is not KEY=VALUE: fix or remove it");
    }
    std::string value = line.substr(eq + 1);
    if (value.size() >= 2 && (value.front() == '\'' || value.front() == '"') &&
        value.back() == value.front())
      value = value.substr(1, value.size() - 2);
    values[line.substr(0, eq)] = value;
  }
  return values;
}

std::string tail_of_file(const fs::path& path, int lines) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return "(no log at " + path.string() + ")";
  std::istringstream last(last_lines(read_file(path), lines));
  std::string out;
  for (std::string line; std::getline(last, line);) out += "    " + line + "\n";
  return out;
}

}  // namespace cdc
