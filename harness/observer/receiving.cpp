#include "harness/observer/receiving.hpp"

#include <atomic>
#include <thread>

#include "harness/common/errors.hpp"

namespace cdc {

void while_receiving(TopicObserver& observer, const std::function<void()>& work,
                     const std::function<void()>& after_each) {
  std::atomic<bool> done{false};
  std::string consumer_error;
  std::thread consumer([&] {
    try {
      while (!done) {
        observer.receive(std::chrono::milliseconds(50));
        if (after_each) after_each();
      }
    } catch (const std::exception& e) {
      consumer_error = e.what();
    }
  });
  try {
    work();
  } catch (...) {
    done = true;
    consumer.join();
    throw;
  }
  done = true;
  consumer.join();
  if (!consumer_error.empty())
    throw HarnessError("consuming " + observer.topic() + " failed: " + consumer_error);
}

}  // namespace cdc
