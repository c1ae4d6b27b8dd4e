// Reading Connect's task metrics from a recorded scrape of a native worker's Prometheus JMX
// exporter (1.0.1), and the rule that settles a scenario file's expectation on them.
#include "harness/connector/task_metrics.hpp"

#include <gtest/gtest.h>

#include "harness/common/files.hpp"

namespace cdc {
namespace {

std::string recorded_scrape() {
  return read_file(std::filesystem::path(CDC_RECORDED_DIR) / "connect-metrics.prom");
}

TEST(TaskMetrics, ReadsTheConnectorsTaskAndProducerFromARecordedScrape) {
  const SourceTaskMetrics m = source_task_metrics(recorded_scrape(), "customer-cdc");
  EXPECT_EQ(m.tasks, 1);
  EXPECT_EQ(m.polled, 4);
  EXPECT_EQ(m.written, 4);
  // Connect's own producers (configs, offsets, statuses) are not the task's.
  EXPECT_EQ(m.producers, 1);
  EXPECT_EQ(m.producer_bytes_in_use, 0);
  EXPECT_EQ(m.producer_batches_split, 0);
}

TEST(TaskMetrics, AnotherConnectorOrAPrefixOfTheNameIsNotCounted) {
  EXPECT_EQ(source_task_metrics(recorded_scrape(), "customer").tasks, 0);
  EXPECT_EQ(source_task_metrics(recorded_scrape(), "customer").producers, 0);
  EXPECT_EQ(source_task_metrics(recorded_scrape(), "customer-cdc-0").producers, 0);
}

TEST(TaskMetrics, ReadsTheTotalSuffixedNamesAndSumsTasks) {
  const std::string text =
      "# TYPE x counter\n"
      "kafka_connect_source_task_metrics_source_record_poll_total{connector=\"c\",task=\"0\",} "
      "10.0\n"
      "kafka_connect_source_task_metrics_source_record_poll_total{connector=\"c\",task=\"1\",} "
      "5.0\n"
      "kafka_connect_source_task_metrics_source_record_poll_rate{connector=\"c\",task=\"1\",} "
      "99.0\n"
      "kafka_connect_source_task_metrics_source_record_write_total{connector=\"c\",task=\"0\",} "
      "10.0\n"
      "kafka_connect_source_task_metrics_source_record_write_total{connector=\"c\",task=\"1\",} "
      "3.0\n";
  const SourceTaskMetrics m = source_task_metrics(text, "c");
  EXPECT_EQ(m.tasks, 2);
  EXPECT_EQ(m.polled, 15);
  EXPECT_EQ(m.written, 13);
}

SourceTaskMetrics metrics(double polled, double written, double bytes_in_use = 16384,
                          double split = 0) {
  SourceTaskMetrics m;
  m.tasks = 1;
  m.polled = polled;
  m.written = written;
  m.producers = 1;
  m.producer_bytes_in_use = bytes_in_use;
  m.producer_batches_split = split;
  return m;
}

TEST(TaskMetrics, AcknowledgedWhenNothingWasPolledBetweenAndAllWereWritten) {
  EXPECT_TRUE(all_polled_acknowledged(metrics(10, 9), metrics(10, 10)));
  // Polled more in between: what was written may be the later batch's.
  EXPECT_FALSE(all_polled_acknowledged(metrics(10, 9), metrics(12, 12)));
  // Still in flight.
  EXPECT_FALSE(all_polled_acknowledged(metrics(10, 9), metrics(10, 9)));
}

TEST(TaskMetrics, AcknowledgedWhenNoProducerHoldsABatchAndNoneWasSplit) {
  // A transform dropped a record: written stays short, the producer's side shows it.
  EXPECT_TRUE(all_polled_acknowledged(metrics(10, 9), metrics(10, 9, 0)));
  EXPECT_TRUE(all_polled_acknowledged(metrics(10, 9), metrics(12, 11, 0)));
  // Split batches live outside the buffer pool: an empty pool proves nothing then.
  EXPECT_FALSE(all_polled_acknowledged(metrics(10, 9), metrics(10, 9, 0, 1)));
}

TEST(TaskMetrics, NoTaskInTheMetricsIsNeverAcknowledged) {
  EXPECT_FALSE(all_polled_acknowledged(SourceTaskMetrics{}, SourceTaskMetrics{}));
  SourceTaskMetrics restarted = metrics(0, 0, 0);
  restarted.tasks = 2;  // a task more than at the first scrape
  EXPECT_FALSE(all_polled_acknowledged(metrics(10, 9), restarted));
}

}  // namespace
}  // namespace cdc
