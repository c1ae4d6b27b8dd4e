#pragma once
#include <string>
#include <vector>

namespace cdc {

// What Kafka Connect's metrics say of one connector's source tasks, summed over its tasks
// (and over the workers, whichever runs them):
// - `source-record-poll-total` counts the records a task returned from poll(), before they
//   are sent; `source-record-write-total` those whose whole poll batch Kafka has acknowledged,
//   less any a transform dropped. Both are cumulative sums kept under the metrics' lock
//   (AbstractWorkerSourceTask.SourceTaskMetricsGroup).
// - the task's producer (`connector-producer-<connector>-<task>`): bytes of its buffer pool
//   in use, which a batch holds from its first record until its callbacks have run
//   (Sender.completeBatch, then RecordAccumulator.deallocate), and how many batches it has
//   split (split batches live outside the pool).
struct SourceTaskMetrics {
  double polled = 0;
  double written = 0;
  int tasks = 0;  // how many tasks of the connector the metrics showed
  int producers = 0;
  double producer_bytes_in_use = 0;
  double producer_batches_split = 0;
};

// From Prometheus's text format as the JMX exporter writes it, e.g. (1.x drops "_total")
//   kafka_connect_source_task_metrics_source_record_poll{connector="c",task="0"} 12.0
//   kafka_producer_producer_metrics_buffer_available_bytes{client_id="connector-producer-c-0"} …
SourceTaskMetrics source_task_metrics(const std::string& prometheus_text,
                                      const std::string& connector);

// Scrapes every URL and sums; a URL that does not answer is a HarnessError naming it.
SourceTaskMetrics scrape_source_task_metrics(const std::vector<std::string>& metrics_urls,
                                             const std::string& connector);

// Whether Kafka has acknowledged every record the tasks polled before `first` was scraped,
// from two scrapes in a row: either nothing was polled between them and every record polled
// has been written, or (at `second`) no task's producer holds a batch and none ever split one.
// A record a transform drops keeps `written` short for good, which the producer's side
// covers; where neither shows it, the caller falls back on Connect's committed offsets.
bool all_polled_acknowledged(const SourceTaskMetrics& first, const SourceTaskMetrics& second);

// One line for a timeout message.
std::string describe(const SourceTaskMetrics& metrics);

}  // namespace cdc
