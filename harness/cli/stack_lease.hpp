#pragma once
#include <filesystem>
#include <memory>

#include "harness/common/progress.hpp"
#include "harness/stack/backend.hpp"
#include "harness/stack/stack_choice.hpp"

namespace cdc::cli {

// One run's hold on the stack in a run directory, for everything that brings a stack up for
// its run (`up`, `report`, `chaos`, `bench`, `run`, `run --versions`, and through `up
// --detach` the ctest fixtures). It claims the directory (refusing one a live run holds),
// cleans what a dead run left, records the choice, and brings the stack up; or, when asked
// to and one runs there already, uses that one. What it brought up it tears down when it
// goes out of scope — after a failure, and after Ctrl-C (which unwinds to here) — unless
// it was handed over or released.
class StackLease {
 public:
  enum class Reuse { Never, IfRunning };

  StackLease(const std::filesystem::path& run_dir, const StackChoice& choice, Reuse reuse,
             const Progress& progress);
  ~StackLease();
  StackLease(const StackLease&) = delete;
  StackLease& operator=(const StackLease&) = delete;

  StackBackend& backend() { return *backend_; }
  const StackEndpoints& endpoints() const { return endpoints_; }
  const StackChoice& choice() const { return choice_; }
  bool reused() const { return reused_; }

  // `up --detach`: the stack outlives this process; `down` or the guard owns it now.
  void hand_over();
  // The run's normal end: tears down what it brought up, saying so on `progress`. False if
  // something could not be stopped (the message says what).
  bool release(const Progress& progress);

 private:
  std::filesystem::path run_dir_;
  StackChoice choice_;
  bool reused_ = false;
  bool held_ = false;  // this lease brought the stack up and still answers for it
  std::unique_ptr<StackBackend> backend_;
  StackEndpoints endpoints_;
};

// The stack in `run_dir` runs: every component up, its endpoints written.
bool stack_running(const std::filesystem::path& run_dir);

}  // namespace cdc::cli
