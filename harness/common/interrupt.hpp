#pragma once

namespace cdc {

// SIGINT, SIGTERM and SIGHUP set a flag instead of killing the harness, so that every wait
// notices it, unwinds, and the code that started processes gets to stop them.
void install_interrupt_handlers();
bool interrupted();
// Throws cdc::Interrupted once a signal has arrived.
void throw_if_interrupted();
// Forgets an interrupt already acted on, so that the teardown it started can still wait
// (with deadlines) for processes to stop. A second Ctrl-C interrupts the teardown too.
void clear_interrupt();

}  // namespace cdc
