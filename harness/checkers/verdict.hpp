#pragma once
#include <string>
#include <vector>

namespace cdc {

// A checker's answer: every failure it found, each a sentence naming the anomaly and its
// evidence. Checkers report all failures, not the first.
struct Verdict {
  std::vector<std::string> failures;

  bool ok() const { return failures.empty(); }
  void fail(std::string failure) { failures.push_back(std::move(failure)); }
  void merge(const Verdict& other) {
    failures.insert(failures.end(), other.failures.begin(), other.failures.end());
  }
  std::string summary() const;  // one failure a line, or "ok"
};

}  // namespace cdc
