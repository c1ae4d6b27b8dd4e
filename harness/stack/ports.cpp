#include "harness/stack/ports.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>

#include "harness/common/errors.hpp"
#include "harness/common/files.hpp"

namespace cdc {
namespace fs = std::filesystem;

namespace {

// A port the kernel says is free now: bound to port 0 and released.
int kernel_free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  const bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
                  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0;
  ::close(fd);
  return ok ? ntohs(addr.sin_port) : -1;
}

// Ports picked by harness processes on this machine, one "port pid seconds [file]" line each.
// A line holds while the process that picked the port lives (a day at most: a pid may be
// reused), or while `file` exists: the stack's state file, so a detached stack's ports stay
// reserved for the restarts its faults make after `up` has exited. A port is free to the
// kernel from its pick until its server binds it, seconds later under load; two harness runs
// side by side (ctest beside a slow suite) were once handed the same one, and one's metrics
// agent answered on the other's Connect REST port.
class PortLedger {
 public:
  PortLedger() {
    std::error_code ec;
    fs::create_directories(harness_cache_dir(), ec);
    fd_ =
        ::open((harness_cache_dir() / "ports-picked").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ >= 0 && ::flock(fd_, LOCK_EX) != 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }
  ~PortLedger() {
    if (fd_ >= 0) ::close(fd_);  // releases the lock
  }
  PortLedger(const PortLedger&) = delete;
  PortLedger& operator=(const PortLedger&) = delete;

  // The ports other harness processes and live stacks hold; this process's own are `mine`.
  std::set<int> taken_by_others() {
    std::set<int> taken;
    if (fd_ < 0) return taken;
    const long now = seconds_now();
    std::istringstream lines(contents());
    for (std::string line; std::getline(lines, line);) {
      std::istringstream fields(line);
      long port = 0, at = 0;
      int pid = 0;
      if (!(fields >> port >> pid >> at)) continue;
      std::string file;
      std::getline(fields >> std::ws, file);
      if (pid == ::getpid()) continue;
      std::error_code ec;
      const bool picker_lives = now - at <= 86400 && (::kill(pid, 0) == 0 || errno != ESRCH);
      if (!picker_lives && (file.empty() || !fs::exists(file, ec))) continue;
      kept_ += line + "\n";
      taken.insert(static_cast<int>(port));
    }
    return taken;
  }

  // Rewrites the ledger: what others hold, and every port this process picked.
  void record(const std::map<int, fs::path>& mine) {
    if (fd_ < 0) return;
    std::string text = kept_;
    const std::string picker =
        " " + std::to_string(::getpid()) + " " + std::to_string(process_started_);
    for (const auto& [port, file] : mine) {
      text += std::to_string(port) + picker + (file.empty() ? "" : " " + file.string()) + "\n";
    }
    if (::ftruncate(fd_, 0) != 0 || ::pwrite(fd_, text.data(), text.size(), 0) < 0) return;
  }

 private:
  static long seconds_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
  std::string contents() const {
    std::string text;
    char buffer[4096];
    for (off_t at = 0;;) {
      const ssize_t n = ::pread(fd_, buffer, sizeof(buffer), at);
      if (n <= 0) break;
      text.append(buffer, static_cast<size_t>(n));
      at += n;
    }
    return text;
  }

  int fd_ = -1;
  std::string kept_;
  static inline const long process_started_ = seconds_now();  // when this process loaded
};

// The socket inodes listening on `port` (any address, IPv4 or IPv6), from /proc/net.
std::set<std::string> listening_sockets(int port) {
  std::set<std::string> inodes;
  char hex_port[8];
  std::snprintf(hex_port, sizeof(hex_port), "%04X", port);
  for (const char* table : {"/proc/net/tcp", "/proc/net/tcp6"}) {
    std::ifstream in(table);
    std::string line;
    std::getline(in, line);  // the header
    while (std::getline(in, line)) {
      std::istringstream fields(line);
      std::string slot, local, remote, state, queues, timer, retransmits, uid, timeout, inode;
      if (!(fields >> slot >> local >> remote >> state >> queues >> timer >> retransmits >> uid >>
            timeout >> inode))
        continue;
      const auto colon = local.rfind(':');
      if (state == "0A" && colon != std::string::npos && local.substr(colon + 1) == hex_port)
        inodes.insert(inode);
    }
  }
  return inodes;
}

// `pid` and its descendants (a server may run under runuser).
std::vector<int> process_tree(int pid) {
  std::vector<int> tree{pid};
  for (size_t i = 0; i < tree.size(); ++i) {
    std::error_code ec;
    for (const auto& task :
         fs::directory_iterator("/proc/" + std::to_string(tree[i]) + "/task", ec)) {
      std::ifstream children(task.path() / "children");
      for (int child = 0; children >> child;) tree.push_back(child);
    }
  }
  return tree;
}

bool holds_socket(int pid, const std::set<std::string>& inodes) {
  std::error_code ec;
  for (const auto& fd : fs::directory_iterator("/proc/" + std::to_string(pid) + "/fd", ec)) {
    const std::string target = fs::read_symlink(fd.path(), ec).string();
    if (target.rfind("socket:[", 0) == 0 && inodes.count(target.substr(8, target.size() - 9)) > 0)
      return true;
  }
  return false;
}

}  // namespace

int pick_free_port(const fs::path& held_while) {
  // The kernel may hand out a port again once its socket is closed; remember what this
  // process handed out so the broker, controller and Connect never get the same one, and
  // tell other harness processes through the ledger.
  static std::mutex mutex;
  static std::map<int, fs::path> handed_out;
  std::lock_guard lock(mutex);
  PortLedger ledger;
  const std::set<int> taken = ledger.taken_by_others();
  for (int attempt = 0; attempt < 50; ++attempt) {
    const int port = kernel_free_port();
    if (port < 0) break;
    if (taken.count(port) > 0 || !handed_out.emplace(port, held_while).second) continue;
    ledger.record(handed_out);
    return port;
  }
  throw HarnessError("could not find a free TCP port on 127.0.0.1: is the loopback interface up?");
}

Listener listener_on(int port, int pid) {
  const std::set<std::string> inodes = listening_sockets(port);
  if (inodes.empty()) return Listener::Nobody;
  for (const int member : process_tree(pid)) {
    if (holds_socket(member, inodes)) return Listener::Ours;
  }
  return Listener::Another;
}

bool listening_yet(const std::string& server, int port, int pid) {
  switch (listener_on(port, pid)) {
    case Listener::Ours:
      return true;
    case Listener::Nobody:
      return false;
    case Listener::Another:
      break;
  }
  throw PortTaken("another process listens on 127.0.0.1:" + std::to_string(port) +
                  ", the port picked for " + server);
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
