#include "harness/observer/fenced_reader.hpp"

#include "harness/common/timeouts.hpp"

namespace cdc {
using namespace std::chrono_literals;

std::vector<ChangeEvent> FencedReader::next() {
  const nlohmann::json fence = write_fence_();
  const auto& events = observer_.collect_until(
      "the fence row " + fence.dump() + " (committed after the changes of interest)", scaled(60s),
      [&](const std::vector<ChangeEvent>& seen) {
        return seen.size() > consumed_ && seen.back().op == Op::Create && seen.back().key == fence;
      });
  std::vector<ChangeEvent> step(events.begin() + static_cast<long>(consumed_), events.end() - 1);
  consumed_ = events.size();
  return step;
}

}  // namespace cdc
