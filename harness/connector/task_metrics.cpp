#include "harness/connector/task_metrics.hpp"

#include <httplib.h>

#include <cstdlib>
#include <sstream>

#include "harness/common/errors.hpp"

namespace cdc {

namespace {

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The exporter's 1.x names drop "_total"; 0.x and other exporters keep it.
bool is_metric(const std::string& name, const std::string& metric) {
  return ends_with(name, metric) || ends_with(name, metric + "_total");
}

// The value of label `name` in `{a="x",b="y",}`, unescaped; "" when it is not there.
std::string label(const std::string& labels, const std::string& name) {
  const std::string key = name + "=\"";
  for (size_t at = labels.find(key); at != std::string::npos; at = labels.find(key, at + 1)) {
    if (labels[at - 1] != ',' && labels[at - 1] != '{') continue;
    std::string value;
    for (size_t i = at + key.size(); i < labels.size() && labels[i] != '"'; ++i) {
      if (labels[i] == '\\' && i + 1 < labels.size()) ++i;
      value += labels[i];
    }
    return value;
  }
  return "";
}

// Connect names a source task's producer connector-producer-<connector>-<task>.
bool is_task_producer(const std::string& client_id, const std::string& connector) {
  const std::string prefix = "connector-producer-" + connector + "-";
  if (client_id.rfind(prefix, 0) != 0 || client_id.size() == prefix.size()) return false;
  return client_id.find_first_not_of("0123456789", prefix.size()) == std::string::npos;
}

}  // namespace

SourceTaskMetrics source_task_metrics(const std::string& prometheus_text,
                                      const std::string& connector) {
  SourceTaskMetrics m;
  double available = 0, total = 0;
  std::istringstream lines(prometheus_text);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line[0] == '#') continue;
    const size_t open = line.find('{');
    const size_t close = line.rfind('}');
    if (open == std::string::npos || close == std::string::npos || close < open) continue;
    const std::string name = line.substr(0, open);
    const std::string labels = line.substr(open, close - open + 1);
    const double value = std::strtod(line.c_str() + close + 1, nullptr);
    if (name.find("source_task_metrics") != std::string::npos) {
      if (label(labels, "connector") != connector) continue;
      if (is_metric(name, "source_record_poll")) {
        m.polled += value;
        ++m.tasks;
      } else if (is_metric(name, "source_record_write")) {
        m.written += value;
      }
    } else if (name.find("producer_metrics") != std::string::npos) {
      if (!is_task_producer(label(labels, "client_id"), connector)) continue;
      if (ends_with(name, "buffer_available_bytes")) {
        available += value;
        ++m.producers;
      } else if (ends_with(name, "buffer_total_bytes")) {
        total += value;
      } else if (is_metric(name, "batch_split")) {
        m.producer_batches_split += value;
      }
    }
  }
  m.producer_bytes_in_use = total - available;
  return m;
}

SourceTaskMetrics scrape_source_task_metrics(const std::vector<std::string>& metrics_urls,
                                             const std::string& connector) {
  // Every worker's lines together: the parse sums them, whichever worker runs the tasks.
  std::string scraped;
  for (const auto& url : metrics_urls) {
    const size_t path_at = url.find('/', url.find("://") + 3);
    const std::string origin = url.substr(0, path_at);
    const std::string path = path_at == std::string::npos ? "/metrics" : url.substr(path_at);
    httplib::Client client(origin);
    client.set_connection_timeout(2, 0);
    client.set_read_timeout(10, 0);
    const auto response = client.Get(path);
    if (!response || response->status != 200) {
      throw HarnessError("Connect's metrics at " + url + " did not answer (" +
                         (response ? "HTTP " + std::to_string(response->status)
                                   : httplib::to_string(response.error())) +
                         "): is the worker up, and does it carry the Prometheus JMX exporter?");
    }
    scraped += response->body + "\n";
  }
  return source_task_metrics(scraped, connector);
}

bool all_polled_acknowledged(const SourceTaskMetrics& first, const SourceTaskMetrics& second) {
  if (first.tasks == 0 || first.tasks != second.tasks) return false;
  const bool counters = first.polled == second.polled && second.written == second.polled;
  const bool producers = second.producers == second.tasks && second.producer_bytes_in_use == 0 &&
                         second.producer_batches_split == 0;
  return counters || producers;
}

std::string describe(const SourceTaskMetrics& m) {
  const auto count = [](double v) { return std::to_string(static_cast<int64_t>(v)); };
  return std::to_string(m.tasks) + " task(s), " + count(m.polled) + " records polled, " +
         count(m.written) + " written (less any a transform dropped); " +
         std::to_string(m.producers) + " producer(s) holding " + count(m.producer_bytes_in_use) +
         " bytes of batches" +
         (m.producer_batches_split > 0 ? ", " + count(m.producer_batches_split) + " batches split"
                                       : "");
}

}  // namespace cdc
