#include "harness/stack/external/external_stack.hpp"

#include <pqxx/pqxx>

#include "harness/common/errors.hpp"
#include "harness/common/files.hpp"
#include "harness/common/run_dir.hpp"
#include "harness/stack/external/external_endpoints.hpp"
#include "harness/stack/stack_probes.hpp"

namespace cdc::external {
namespace fs = std::filesystem;

namespace {

class ExternalStack final : public StackBackend {
 public:
  ExternalStack(fs::path run_dir, StackChoice choice)
      : run_dir_(fs::absolute(run_dir)), choice_(std::move(choice)) {}

  StackEndpoints up(const Progress& progress) override {
    const StackEndpoints endpoints = read_external_endpoints(choice_.config);
    progress.stage("stack", "external: Postgres " + endpoints.app.describe() + ", Kafka " +
                                endpoints.kafka_bootstrap + ", Connect " + endpoints.connect_url);
    const std::pair<const char*, const PostgresEndpoint*> roles[] = {
        {"CDC_EXTERNAL_PG_ADMIN", &endpoints.admin},
        {"CDC_EXTERNAL_PG_APP", &endpoints.app},
        {"CDC_EXTERNAL_PG_DEBEZIUM", &endpoints.debezium}};
    for (const auto& [setting, role] : roles) {
      if (auto problem = postgres_problem(*role))
        throw HarnessError(*problem + ": check " + setting);
    }
    require_customers_table(endpoints.app);
    progress.stage("postgres", "all three roles connect; public.customers is there");
    if (auto problem = kafka_problem(endpoints.kafka_bootstrap))
      throw HarnessError(*problem + ": check CDC_EXTERNAL_KAFKA_BOOTSTRAP");
    progress.stage("kafka", "brokers answer at " + endpoints.kafka_bootstrap);
    if (auto problem = connect_problem(endpoints.connect_url))
      throw HarnessError(*problem + ": check CDC_EXTERNAL_CONNECT_URL");
    progress.stage("connect", "REST answers, Debezium's Postgres connector is installed");
    fs::create_directories(RunDir(run_dir_).logs());
    save_endpoints(run_dir_, endpoints);
    return endpoints;
  }

  void down(const Progress& progress) override {
    progress.stage("stack", "external: nothing to stop; forgetting its endpoints");
    fs::remove_all(RunDir(run_dir_).secrets());
    fs::remove(RunDir(run_dir_).endpoints());
    fs::remove(RunDir(run_dir_).connector());
  }

  std::vector<ComponentStatus> status() const override {
    if (!fs::exists(RunDir(run_dir_).endpoints())) {
      return {{"postgres", false, "not checked yet"},
              {"kafka", false, "not checked yet"},
              {"connect", false, "not checked yet"}};
    }
    const StackEndpoints e = load_endpoints(run_dir_);
    auto component = [](const char* name, const std::string& where,
                        const std::optional<std::string>& problem) {
      return ComponentStatus{name, !problem, problem ? *problem : where + " (external)"};
    };
    return {component("postgres", e.app.describe(), postgres_problem(e.app)),
            component("kafka", e.kafka_bootstrap, kafka_problem(e.kafka_bootstrap)),
            component("connect", e.connect_url, connect_problem(e.connect_url))};
  }

  bool collect_logs() const override { return false; }  // its logs are its operator's

  // Recorded by `up` before it checks anything: the run's objects may need removing.
  void act_on(Component component, ComponentAction action, const Progress&) override {
    throw HarnessError("cannot " + to_string(action) + " " + to_string(component) +
                       " of an external stack: it runs elsewhere and is its operator's to "
                       "control; use the native or compose stack for faults of components");
  }

  bool has_leftovers() const override { return load_stack_choice(run_dir_).has_value(); }

 private:
  static void require_customers_table(const PostgresEndpoint& app) {
    pqxx::connection conn(app.conninfo());
    pqxx::nontransaction tx(conn);
    const auto owner = tx.exec(
        "SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = "
        "to_regclass('public.customers')");
    if (owner.empty()) {
      throw HarnessError("public.customers does not exist in " + app.describe() +
                         ": apply postgres/init.sql to the external database first");
    }
    if (owner[0][0].as<std::string>() != app.user) {
      throw HarnessError("public.customers is owned by " + owner[0][0].as<std::string>() +
                         ", not by " + app.user +
                         ": CDC_EXTERNAL_PG_APP must name the table's owner");
    }
  }

  fs::path run_dir_;
  StackChoice choice_;
};

}  // namespace

std::unique_ptr<StackBackend> make_external_backend(const fs::path& run_dir,
                                                    const StackChoice& choice) {
  return std::make_unique<ExternalStack>(run_dir, choice);
}

}  // namespace cdc::external
