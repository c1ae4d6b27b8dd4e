#include "harness/observer/fenced_reader.hpp"

#include "harness/common/timeouts.hpp"

namespace cdc {
using namespace std::chrono_literals;

size_t FencedReader::read_fence(std::set<int32_t>& partitions_fenced) {
  const nlohmann::json fence = write_fence_();
  fences_.insert(fence.dump());
  size_t fence_at = 0;
  const auto& events = stream_.collect_until(
      "the fence row " + fence.dump() + " (committed after the changes of interest)", scaled(60s),
      [&](const std::vector<ChangeEvent>& seen) {
        for (; scanned_ < seen.size(); ++scanned_) {
          if (seen[scanned_].op == Op::Create && seen[scanned_].key == fence) {
            fence_at = scanned_++;
            return true;
          }
        }
        return false;
      });
  partitions_fenced.insert(events[fence_at].kafka.partition);
  events_ = &events;
  return fence_at + 1;
}

std::vector<ChangeEvent> FencedReader::next() {
  std::set<int32_t> partitions_fenced;
  size_t end = consumed_;
  scanned_ = consumed_;
  while (static_cast<int>(partitions_fenced.size()) < partitions_)
    end = read_fence(partitions_fenced);
  const auto& events = *events_;
  std::vector<ChangeEvent> step;
  for (size_t i = consumed_; i < end; ++i) {
    if (!fences_.count(events[i].key.dump())) step.push_back(events[i]);
  }
  consumed_ = end;
  return step;
}

std::vector<ChangeEvent> FencedReader::next_settled() {
  std::vector<ChangeEvent> step = next();
  std::vector<ChangeEvent> late = next();
  step.insert(step.end(), late.begin(), late.end());
  return step;
}

}  // namespace cdc
