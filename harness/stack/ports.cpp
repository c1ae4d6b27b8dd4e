#include "harness/stack/ports.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <mutex>
#include <set>

#include "harness/common/errors.hpp"
#include "harness/common/files.hpp"

namespace cdc {

int pick_free_port() {
  // The kernel may hand out a port again once its socket is closed; remember what this
  // process handed out so the broker, controller and Connect never get the same one.
  static std::mutex mutex;
  static std::set<int> handed_out;
  std::lock_guard lock(mutex);
  for (int attempt = 0; attempt < 20; ++attempt) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) break;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof(addr);
    const bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
                    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0;
    ::close(fd);
    if (!ok) break;
    const int port = ntohs(addr.sin_port);
    if (handed_out.insert(port).second) return port;
  }
  throw HarnessError("could not find a free TCP port on 127.0.0.1: is the loopback interface up?");
}

bool port_taken_since(const std::filesystem::path& log, std::uintmax_t offset) {
  std::error_code ec;
  if (!std::filesystem::exists(log, ec)) return false;
  std::string text = read_file(log);
  if (offset <= text.size()) text = text.substr(offset);
  return text.find("Address already in use") != std::string::npos ||
         text.find("address already in use") != std::string::npos ||  // Go's (Toxiproxy)
         text.find("could not bind") != std::string::npos;
}

}  // namespace cdc
