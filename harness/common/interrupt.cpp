#include "harness/common/interrupt.hpp"

#include <atomic>
#include <csignal>

#include "harness/common/errors.hpp"

namespace cdc {
namespace {
std::atomic<bool> g_interrupted{false};

extern "C" void on_signal(int) {
  g_interrupted.store(true);
}
}  // namespace

void install_interrupt_handlers() {
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  for (int signal_number : {SIGINT, SIGTERM, SIGHUP}) sigaction(signal_number, &action, nullptr);
}

bool interrupted() {
  return g_interrupted.load();
}

void clear_interrupt() {
  g_interrupted.store(false);
}

void throw_if_interrupted() {
  if (interrupted()) throw Interrupted();
}

}  // namespace cdc
