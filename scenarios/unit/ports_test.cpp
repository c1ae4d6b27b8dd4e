// A port taken between picking and binding: the start is retried on fresh ports; any other
// failure is not.
#include "harness/stack/ports.hpp"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include "harness/common/files.hpp"

namespace cdc::unit {
namespace {
namespace fs = std::filesystem;

class PortRetry : public ::testing::Test {
 protected:
  fs::path log = fs::temp_directory_path() / ("cdc-ports-test-" + std::to_string(::getpid()));
  void TearDown() override { fs::remove(log); }
  void server_says(const std::string& line) { std::ofstream(log, std::ios::app) << line << "\n"; }
};

TEST_F(PortRetry, AStartThatLostItsPortIsRetriedOnFreshPorts) {
  server_says("an earlier run: Address already in use");  // before this start: not its trouble
  std::vector<int> attempts;
  start_on_free_ports("kafka", log, Progress(true), [&](int attempt) {
    attempts.push_back(attempt);
    if (attempt == 1) {
      server_says("java.net.BindException: Address already in use");
      throw HarnessError("the Kafka broker exited during start-up");
    }
  });
  EXPECT_EQ(attempts, (std::vector<int>{1, 2}));
}

TEST_F(PortRetry, AnyOtherFailureIsNotRetried) {
  server_says("an earlier run: could not bind IPv4 address");
  int attempts = 0;
  EXPECT_THROW(start_on_free_ports("postgres", log, Progress(true),
                                   [&](int) {
                                     ++attempts;
                                     server_says("FATAL: data directory has wrong ownership");
                                     throw HarnessError("Postgres exited during start-up");
                                   }),
               HarnessError);
  EXPECT_EQ(attempts, 1);
}

TEST_F(PortRetry, GivesUpAfterThreeAttempts) {
  int attempts = 0;
  EXPECT_THROW(start_on_free_ports("connect", log, Progress(true),
                                   [&](int) {
                                     ++attempts;
                                     server_says("could not bind: Address already in use");
                                     throw HarnessError("the worker exited during start-up");
                                   }),
               HarnessError);
  EXPECT_EQ(attempts, 3);
}

TEST_F(PortRetry, AProbeThatFoundAnotherProcessOnThePortIsRetriedWithoutAWordInTheLog) {
  std::vector<int> attempts;
  start_on_free_ports("connect", log, Progress(true), [&](int attempt) {
    attempts.push_back(attempt);
    if (attempt == 1) throw PortTaken("another process listens on 127.0.0.1:47117");
  });
  EXPECT_EQ(attempts, (std::vector<int>{1, 2}));
}

// A listening socket of this process on a fresh port.
struct Listening {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int port = 0;
  Listening() {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(addr);
    EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
    EXPECT_EQ(::listen(fd, 1), 0);
    EXPECT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
    port = ntohs(addr.sin_port);
  }
  ~Listening() { ::close(fd); }
};

// A process of our own that holds no socket: a forked child waiting to be killed.
struct IdleChild {
  int pid = ::fork();
  IdleChild() {
    if (pid == 0) {
      ::pause();
      ::_exit(0);
    }
  }
  ~IdleChild() {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
  }
};

TEST(ListenerOn, TellsOurServerFromAnotherProcessAndFromNobody) {
  IdleChild child;  // forked before the socket exists, so it does not inherit it
  int port = 0;
  {
    Listening server;
    port = server.port;
    EXPECT_EQ(listener_on(port, ::getpid()), Listener::Ours);
    EXPECT_EQ(listener_on(port, child.pid), Listener::Another);
    EXPECT_TRUE(listening_yet("Kafka Connect's REST API", port, ::getpid()));
    try {
      listening_yet("Kafka Connect's REST API", port, child.pid);
      ADD_FAILURE() << "another process's listener was taken for ours";
    } catch (const PortTaken& e) {
      EXPECT_NE(std::string(e.what()).find("Kafka Connect's REST API"), std::string::npos);
      EXPECT_NE(std::string(e.what()).find(std::to_string(port)), std::string::npos);
    }
  }
  EXPECT_EQ(listener_on(port, ::getpid()), Listener::Nobody);
  EXPECT_FALSE(listening_yet("Kafka Connect's REST API", port, child.pid));
}

TEST(PickFreePort, NeverHandsOutAPortTwice) {
  std::set<int> ports;
  for (int i = 0; i < 50; ++i) EXPECT_TRUE(ports.insert(pick_free_port()).second);
}

// Another harness process picks 400 ports (held while `held_while` exists, when given) and
// exits when told; what it picked comes back.
struct OtherPicker {
  int to_parent[2];
  int to_child[2];
  int pid = 0;
  std::set<int> picked;
  explicit OtherPicker(const fs::path& held_while = {}) {
    EXPECT_EQ(::pipe(to_parent), 0);
    EXPECT_EQ(::pipe(to_child), 0);
    pid = ::fork();
    if (pid == 0) {
      int ports[400];
      for (int& port : ports) port = pick_free_port(held_while);
      (void)!::write(to_parent[1], ports, sizeof(ports));
      char done;
      (void)!::read(to_child[0], &done, 1);
      ::_exit(0);
    }
    int ports[400];
    size_t got = 0;
    while (got < sizeof(ports)) {
      const ssize_t n =
          ::read(to_parent[0], reinterpret_cast<char*>(ports) + got, sizeof(ports) - got);
      if (n <= 0) break;
      got += static_cast<size_t>(n);
    }
    EXPECT_EQ(got, sizeof(ports));
    picked.insert(std::begin(ports), std::end(ports));
  }
  void exit() {
    if (pid <= 0) return;
    (void)!::write(to_child[1], "x", 1);
    ::waitpid(pid, nullptr, 0);
    pid = 0;
  }
  ~OtherPicker() { exit(); }
};

// The ledger lives in the cache directory: each test has one of its own.
class PortLedger : public ::testing::Test {
 protected:
  fs::path cache = fs::temp_directory_path() / ("cdc-ports-ledger-" + std::to_string(::getpid()));
  void SetUp() override { ::setenv("XDG_CACHE_HOME", cache.c_str(), 1); }
  void TearDown() override {
    ::unsetenv("XDG_CACHE_HOME");
    fs::remove_all(cache);
  }
  static int shared_with(const std::set<int>& theirs) {
    int shared = 0;
    for (int i = 0; i < 400; ++i) shared += theirs.count(pick_free_port()) > 0 ? 1 : 0;
    return shared;
  }
};

// Without the ledger, 400 picks each from the kernel's ~14,000 even ephemeral ports would
// share about eleven.
TEST_F(PortLedger, NoPortIsHandedOutThatAnotherLiveHarnessProcessPicked) {
  OtherPicker other;
  EXPECT_EQ(shared_with(other.picked), 0);
}

// A detached stack's servers restart on their ports after `up` exited (a fault's restart).
TEST_F(PortLedger, APickForAStackIsHeldAfterItsProcessExitsUntilTheStateFileGoes) {
  const fs::path state = cache / "run" / "state.json";
  fs::create_directories(state.parent_path());
  std::ofstream(state) << "{}";
  OtherPicker up(state);
  up.exit();
  EXPECT_EQ(shared_with(up.picked), 0);
  const auto holds = [&] {
    return read_file(cache / "cdc-harness" / "ports-picked").find(state.string()) !=
           std::string::npos;
  };
  EXPECT_TRUE(holds());
  fs::remove(state);  // `down`
  pick_free_port();
  EXPECT_FALSE(holds());
}

}  // namespace
}  // namespace cdc::unit
