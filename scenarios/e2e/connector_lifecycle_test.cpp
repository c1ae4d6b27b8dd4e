// Connector lifecycle: restart, task restart, pause/resume and stop/resume through Connect's
// REST API while rows are written. Nothing committed may be lost; the re-deliveries these
// graceful actions may cause are counted (at least once), also those after the fence.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "harness/common/timeouts.hpp"
#include "scenarios/e2e/own_table.hpp"

namespace cdc::scenarios {
namespace {
using nlohmann::json;
using namespace std::chrono_literals;

// Writes rows, each its own transaction, until told to stop; keeps what it committed.
class BackgroundWriter {
 public:
  explicit BackgroundWriter(OwnTable& table) {
    thread_ = std::thread([this, name = table.name()] {
      try {
        pqxx::connection conn(Pipeline::shared().endpoints.app.conninfo());
        for (int n = 1; !stop_; ++n) {
          pqxx::work tx(conn);
          const auto row = tx.exec1("INSERT INTO " + name + " (n) VALUES (" + std::to_string(n) +
                                    ") RETURNING id, txid_current() % 4294967296");
          tx.commit();
          const int id = row[0].as<int>();
          committed_.push_back(expect::create({{"id", id}})
                                   .with_after({{"id", id}, {"n", n}})
                                   .in_transaction(row[1].as<int64_t>()));
          std::this_thread::sleep_for(5ms);  // pacing the load, not synchronising
        }
      } catch (const std::exception& e) {
        error_ = e.what();
      }
    });
  }
  ~BackgroundWriter() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  std::vector<ExpectedChange> finish() {
    stop_ = true;
    thread_.join();
    if (!error_.empty()) throw std::runtime_error("background writer failed: " + error_);
    return committed_;
  }

 private:
  std::atomic<bool> stop_{false};
  std::vector<ExpectedChange> committed_;
  std::string error_;
  std::thread thread_;
};

// Acts on a streaming connector with an offset committed (changes in flight), waits until it
// streams again, then judges every committed row at least once.
void run_through(const std::function<void(ConnectorHandle&)>& act) {
  OwnTable table(Pipeline::shared(), "lifecycle", table_with("n integer"));
  BackgroundWriter writer(table);
  ConnectorHandle connector = table.handle();
  connector.wait_until_snapshot_committed();
  table.observer().collect_until(
      "the background writer's first rows", scaled(30s),
      [](const std::vector<ChangeEvent>& seen) { return seen.size() >= 20; });
  act(connector);
  table.wait_until_streaming();
  const size_t before_resume = table.observer().events().size();
  table.observer().collect_until(
      "rows written after the connector came back", scaled(30s),
      [&](const std::vector<ChangeEvent>& seen) { return seen.size() >= before_resume + 20; });
  const auto committed = writer.finish();
  const Verdict verdict =
      check_events(table.next_settled(), committed, table.rules(Delivery::AtLeastOnce));
  EXPECT_TRUE(verdict.ok()) << verdict.summary();
  EXPECT_EQ(verdict.count(AnomalyKind::Lost), 0u);
  std::cout << "[ lifecycle ] " << committed.size() << " rows committed, "
            << verdict.count(AnomalyKind::Duplicate) << " duplicate events\n";
}

TEST(ConnectorLifecycle, RestartWhileWritingLosesNothing) {
  run_through([](ConnectorHandle& c) { c.restart(); });
}

TEST(ConnectorLifecycle, TaskRestartWhileWritingLosesNothing) {
  run_through([](ConnectorHandle& c) { c.restart_task(0); });
}

TEST(ConnectorLifecycle, PauseAndResumeWhileWritingLosesNothing) {
  run_through([](ConnectorHandle& c) {
    c.pause();
    c.resume();
  });
}

TEST(ConnectorLifecycle, StopAndResumeWhileWritingLosesNothing) {
  run_through([](ConnectorHandle& c) {
    c.stop();
    c.resume();
  });
}

}  // namespace
}  // namespace cdc::scenarios
