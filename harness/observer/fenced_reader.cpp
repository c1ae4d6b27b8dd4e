#include "harness/observer/fenced_reader.hpp"

#include "harness/common/clock.hpp"
#include "harness/common/errors.hpp"
#include "harness/common/timeouts.hpp"

namespace cdc {
using namespace std::chrono_literals;

bool FencedReader::is_any_fence(const ChangeEvent& e) const {
  if (fence_keys_.count(e.key.dump())) return true;
  if (e.op != Op::Create || fence_markers_.empty() || !e.after || !e.after->is_object())
    return false;
  // Every fence of a reader marks the same column (its writer's).
  const auto value = e.after->find(marker_column_);
  return value != e.after->end() && fence_markers_.count(value->dump());
}

void FencedReader::look_elsewhere(const FenceRow& fence, const std::vector<ChangeEvent>& seen) {
  if (!where_else_.look || std::chrono::steady_clock::now() < next_look_) return;
  // Something written since the step began came: the topic is alive, the fence only slow.
  for (size_t i = seen.size(); i > consumed_; --i)
    if (seen[i - 1].kafka.timestamp_ms >= step_began_ms_) return;
  const std::string went = where_else_.look(fence, step_began_ms_);
  if (!went.empty()) throw PipelineMismatch(went);
  next_look_ = std::chrono::steady_clock::now() + scaled(where_else_.after);
}

size_t FencedReader::read_fence(std::set<int32_t>& partitions_fenced) {
  const FenceRow fence = write_fence_();
  fence_keys_.insert(fence.key.dump());
  if (!fence.marker_column.empty()) {
    marker_column_ = fence.marker_column;
    fence_markers_.insert(fence.marker_value.dump());
  }
  // Nothing at all within a few seconds of the fence's commit: time to ask where it went.
  next_look_ = std::chrono::steady_clock::now() + scaled(where_else_.after);
  size_t fence_at = 0;
  const auto& events = stream_.collect_until(
      "the fence row " + fence.key.dump() + " (committed after the changes of interest)",
      scaled(60s), [&](const std::vector<ChangeEvent>& seen) {
        for (; scanned_ < seen.size(); ++scanned_) {
          if (is_fence(seen[scanned_], fence)) {
            if (auto mismatch = key_mismatch(seen[scanned_], fence); !mismatch.empty())
              throw PipelineMismatch(mismatch);
            fence_at = scanned_++;
            return true;
          }
        }
        look_elsewhere(fence, seen);
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
  step_began_ms_ = now_us() / 1000;
  while (static_cast<int>(partitions_fenced.size()) < partitions_)
    end = read_fence(partitions_fenced);
  const auto& events = *events_;
  std::vector<ChangeEvent> step;
  for (size_t i = consumed_; i < end; ++i) {
    if (!is_any_fence(events[i])) step.push_back(events[i]);
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
