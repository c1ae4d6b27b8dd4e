#include "harness/cleanup/run_objects.hpp"

#include <pqxx/pqxx>

#include "harness/common/errors.hpp"
#include "harness/common/text.hpp"
#include "harness/common/timeouts.hpp"
#include "harness/connector/connector_lifecycle.hpp"
#include "harness/connector/replication_slot.hpp"
#include "harness/stack/kafka_admin.hpp"

namespace cdc {
using namespace std::chrono_literals;

namespace {

bool carries(const std::string& name, const std::string& run_id) {
  return name.find(run_id) != std::string::npos;
}

void remove_postgres_objects(const StackEndpoints& endpoints, const std::string& run_id,
                             const Progress& progress) {
  pqxx::connection conn(endpoints.app.conninfo());
  pqxx::work tx(conn);
  const std::string pattern = "%" + run_id + "%";
  for (const auto& row : tx.exec_params(
           "SELECT pubname FROM pg_publication WHERE pubname LIKE $1 ORDER BY 1", pattern)) {
    progress.stage("cleanup", "dropping publication " + row[0].as<std::string>());
    tx.exec("DROP PUBLICATION IF EXISTS " + tx.quote_name(row[0].as<std::string>()));
  }
  // Tables first (their owned sequences go with them), then whatever sequence is left.
  for (const char* kind : {"r", "S"}) {
    for (const auto& row : tx.exec_params(
             "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
             "WHERE n.nspname = 'public' AND c.relkind = $1 AND c.relname LIKE $2 ORDER BY 1",
             kind, pattern)) {
      const std::string name = row[0].as<std::string>();
      progress.stage("cleanup",
                     std::string("dropping ") + (*kind == 'r' ? "table " : "sequence ") + name);
      tx.exec(std::string(*kind == 'r' ? "DROP TABLE" : "DROP SEQUENCE") + " IF EXISTS public." +
              tx.quote_name(name) + " CASCADE");
    }
  }
  const auto rows =
      tx.exec_params("DELETE FROM public.customers WHERE email LIKE $1", pattern).affected_rows();
  if (rows > 0)
    progress.stage("cleanup", "deleted " + std::to_string(rows) + " rows of public.customers");
  tx.commit();
}

}  // namespace

void remove_run_objects(const StackEndpoints& endpoints, const std::string& run_id,
                        const Progress& progress) {
  if (run_id.size() < 6) {
    throw HarnessError("refusing to clean up by run id '" + run_id +
                       "': too short to name only this run's objects");
  }
  std::string failures;
  auto step = [&](const char* what, const std::function<void()>& body) {
    try {
      body();
    } catch (const std::exception& e) {
      failures += std::string(failures.empty() ? "" : "; ") + what + ": " + first_line(e.what());
    }
  };
  step("connectors", [&] {
    remove_connectors(
        endpoints, [&](const std::string& name) { return carries(name, run_id); }, progress);
  });
  step("replication slots", [&] {
    for (const auto& slot : replication_slots(endpoints.admin)) {
      if (!carries(slot, run_id)) continue;
      progress.stage("cleanup", "dropping replication slot " + slot);
      drop_replication_slot(endpoints.admin, slot);
    }
  });
  step("topics", [&] {
    std::vector<std::string> doomed;
    for (const auto& topic : kafka_topics(endpoints.kafka_bootstrap, scaled(15s))) {
      if (carries(topic, run_id)) doomed.push_back(topic);
    }
    if (doomed.empty()) return;
    progress.stage("cleanup", "deleting " + std::to_string(doomed.size()) + " topics");
    delete_kafka_topics(endpoints.kafka_bootstrap, doomed, scaled(60s));
  });
  step("consumer groups", [&] {
    std::vector<std::string> doomed;
    for (const auto& group : kafka_consumer_groups(endpoints.kafka_bootstrap, scaled(15s))) {
      if (carries(group, run_id)) doomed.push_back(group);
    }
    if (doomed.empty()) return;
    progress.stage("cleanup", "deleting " + std::to_string(doomed.size()) + " consumer groups");
    delete_kafka_consumer_groups(endpoints.kafka_bootstrap, doomed, scaled(30s));
  });
  step("postgres objects", [&] { remove_postgres_objects(endpoints, run_id, progress); });
  if (!failures.empty()) {
    throw HarnessError("could not remove everything run " + run_id + " created: " + failures);
  }
  progress.stage("cleanup", "nothing of run " + run_id + " is left on the stack");
}

}  // namespace cdc
