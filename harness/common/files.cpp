#include "harness/common/files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <deque>
#include <fstream>
#include <sstream>

#include "harness/common/errors.hpp"

namespace cdc {
namespace fs = std::filesystem;

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw HarnessError("cannot read " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_file(const fs::path& path, const std::string& content, fs::perms perms) {
  const fs::path temp = path.string() + ".tmp";
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

std::string tail_of_file(const fs::path& path, int lines) {
  std::ifstream in(path);
  if (!in) return "(no log at " + path.string() + ")";
  std::deque<std::string> last;
  std::string line;
  while (std::getline(in, line)) {
    last.push_back(line);
    if (static_cast<int>(last.size()) > lines) last.pop_front();
  }
  std::string out;
  for (const auto& l : last) out += "    " + l + "\n";
  return out;
}

}  // namespace cdc
