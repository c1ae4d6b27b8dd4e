#include "harness/observer/fenced_reader.hpp"

#include "harness/common/timeouts.hpp"

namespace cdc {
using namespace std::chrono_literals;

std::vector<ChangeEvent> FencedReader::next() {
  const nlohmann::json fence = write_fence_();
  fences_.insert(fence.dump());
  size_t scanned = consumed_;
  size_t fence_at = 0;
  const auto& events = stream_.collect_until(
      "the fence row " + fence.dump() + " (committed after the changes of interest)", scaled(60s),
      [&](const std::vector<ChangeEvent>& seen) {
        for (; scanned < seen.size(); ++scanned) {
          if (seen[scanned].op == Op::Create && seen[scanned].key == fence) {
            fence_at = scanned;
            return true;
          }
        }
        return false;
      });
  std::vector<ChangeEvent> step;
  for (size_t i = consumed_; i < fence_at; ++i) {
    if (!fences_.count(events[i].key.dump())) step.push_back(events[i]);
  }
  consumed_ = fence_at + 1;
  return step;
}

std::vector<ChangeEvent> FencedReader::next_settled() {
  std::vector<ChangeEvent> step = next();
  std::vector<ChangeEvent> late = next();
  step.insert(step.end(), late.begin(), late.end());
  return step;
}

}  // namespace cdc
