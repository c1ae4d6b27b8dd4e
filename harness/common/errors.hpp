#pragma once
#include <stdexcept>
#include <string>

namespace cdc {

// An error meant for a person: one line that names the problem and, where there is one,
// the fix. The CLI prints it as is and exits non-zero.
struct HarnessError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A wait ran past its deadline; the message says what was awaited and what was seen last.
struct TimeoutError : HarnessError {
  using HarnessError::HarnessError;
};

// The pipeline delivers changes where or as the harness cannot read them: keyed by other
// columns than the primary key, to another topic, in a format the decoder does not know.
// Found at the first fence, so a step fails at once with the cause, not at its deadline.
struct PipelineMismatch : HarnessError {
  using HarnessError::HarnessError;
};

// The user pressed Ctrl-C (or the process got SIGTERM/SIGHUP): unwind and stop what started.
struct Interrupted : HarnessError {
  Interrupted() : HarnessError("interrupted") {}
};

}  // namespace cdc
