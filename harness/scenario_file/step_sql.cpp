#include <pqxx/pqxx>
#include <regex>

#include "harness/common/text.hpp"
#include "harness/scenario_file/step_handlers.hpp"

namespace cdc {

namespace {

// sql [session=NAME] [error=REGEX]: the body as one batch on the session's connection, as
// written (BEGIN in one step and COMMIT in a later one keep a transaction open between).
void run_sql(ScenarioContext& ctx, size_t, const ScenarioStep& step) {
  if (step.body.empty()) ctx.fail(step, "`sql` needs statements in its body, on the next lines");
  const std::string statements = ctx.expand(step.body_text(), step);
  const auto want_error = step.option("error");
  try {
    ctx.exec_in_session(ctx.option(step, "session", "main"), statements);
  } catch (const pqxx::sql_error& e) {
    const std::string message = first_line(e.what());
    if (want_error && std::regex_search(message, std::regex(ctx.expand(*want_error, step)))) return;
    ctx.fail(step, "SQL failed: " + message +
                       (want_error ? " (error= expected a match for " + *want_error + ")" : ""));
  } catch (const pqxx::broken_connection& e) {
    ctx.fail(step, "lost the database connection: " + first_line(e.what()));
  }
  if (want_error)
    ctx.fail(step, "the SQL succeeded, but error=" + *want_error + " expected it to fail");
}

// cleanup: kept, and run as the file ends, whatever happened.
void run_cleanup(ScenarioContext& ctx, size_t index, const ScenarioStep&) {
  ctx.cleanups.push_back(index);
}

}  // namespace

StepHandler sql_step() {
  return {{"sql",
           {"sql [session=NAME] [error=REGEX]"},
           "the body as one batch on that session's connection; error= expects it to fail",
           {{"",
             {{{"session", {}}, {"error", {}}},
              {},
              StepForm::Body::Required,
              StepForm::BodyKind::Sql}}}},
          run_sql};
}

StepHandler cleanup_step() {
  return {{"cleanup",
           {"cleanup"},
           "SQL run when the file ends, whatever happened",
           {{"", {{}, {}, StepForm::Body::Required, StepForm::BodyKind::Sql}}}},
          run_cleanup};
}

}  // namespace cdc
