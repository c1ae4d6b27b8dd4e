#include "harness/experiment/pipeline_check.hpp"

#include <pqxx/pqxx>

#include "harness/common/clock.hpp"
#include "harness/experiment/fence_elsewhere.hpp"
#include "harness/observer/fenced_reader.hpp"
#include "harness/observer/topic_observer.hpp"
#include "harness/workload/customers_workload.hpp"

namespace cdc {

namespace {

// Deletes the check's rows, whatever became of the check.
struct CheckRows {
  const PostgresEndpoint& app;
  std::string tag;
  ~CheckRows() {
    try {
      pqxx::connection conn(app.conninfo());
      pqxx::nontransaction(conn).exec_params("DELETE FROM public.customers WHERE email LIKE $1",
                                             tag + "-%@example.com");
    } catch (const std::exception&) {
      // the stack is gone: nothing to leave behind
    }
  }
};

}  // namespace

PipelineCheck check_pipeline(const StackEndpoints& endpoints, const ConnectorConfig& connector,
                             const std::string& tag) {
  const std::string topic = connector.change_topic();
  // From the start: a reader placed at the end can miss a change written before it settled.
  TopicObserver observer(endpoints.kafka_bootstrap, topic);
  CustomersWorkload workload(endpoints.app, tag);
  const CheckRows rows{endpoints.app, tag};
  int64_t committed_us = 0;
  FencedReader reader(
      observer,
      [&] {
        FenceRow fence = fence_row(workload.fence(), "email");
        committed_us = now_us();
        return fence;
      },
      1, fence_elsewhere(endpoints, connector, topic));
  reader.next();
  const ChangeEvent& arrived = observer.events().back();
  return {topic, static_cast<double>(arrived.kafka.received_us - committed_us) / 1e6,
          arrived.key.dump()};
}

}  // namespace cdc
