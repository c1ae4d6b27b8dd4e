#include <libpq-fe.h>

#include <memory>

#include "harness/common/text.hpp"
#include "harness/scenario_file/step_handlers.hpp"

namespace cdc {

namespace {

using Connection = std::unique_ptr<PGconn, decltype(&PQfinish)>;
using Result = std::unique_ptr<PGresult, decltype(&PQclear)>;

std::string error_of(PGconn* conn) {
  return first_line(PQerrorMessage(conn));
}

// A value as COPY's text format reads it.
void append_copy_field(std::string& line, const char* value) {
  for (const char* c = value; *c; ++c) {
    switch (*c) {
      case '\\':
        line += "\\\\";
        break;
      case '\t':
        line += "\\t";
        break;
      case '\n':
        line += "\\n";
        break;
      case '\r':
        line += "\\r";
        break;
      default:
        line += *c;
    }
  }
}

// copy table=SCHEMA.TABLE: the rows the body's query returns, loaded by one COPY … FROM STDIN
// in a transaction of its own. Postgres writes such rows as multi-insert WAL records (many
// rows to one record, so to one LSN), as a bulk load does; INSERT … SELECT does not.
void run_copy(ScenarioContext& ctx, size_t, const ScenarioStep& step) {
  if (step.body.empty())
    ctx.fail(step, "`copy` needs a query in its body: SELECT the rows to load, on the next lines");
  const TableName table = ctx.table_of(step);
  const std::string query = ctx.expand(step.body_text(), step);
  Connection conn(PQconnectdb(ctx.stack.endpoints.app.conninfo().c_str()), &PQfinish);
  if (PQstatus(conn.get()) != CONNECTION_OK)
    ctx.fail(step, "could not connect to the database: " + error_of(conn.get()));
  const Result rows(PQexec(conn.get(), query.c_str()), &PQclear);
  if (PQresultStatus(rows.get()) != PGRES_TUPLES_OK)
    ctx.fail(step, "the query failed: " + error_of(conn.get()));
  // The query's column names are the table's columns it fills.
  std::string columns;
  for (int c = 0; c < PQnfields(rows.get()); ++c) {
    const std::string name = PQfname(rows.get(), c);
    char* quoted = PQescapeIdentifier(conn.get(), name.c_str(), name.size());
    columns += (c ? ", " : "") + std::string(quoted ? quoted : name);
    PQfreemem(quoted);
  }
  const std::string copy = "COPY " + table.sql() + " (" + columns + ") FROM STDIN";
  const Result started(PQexec(conn.get(), copy.c_str()), &PQclear);
  if (PQresultStatus(started.get()) != PGRES_COPY_IN)
    ctx.fail(step, copy + " failed: " + error_of(conn.get()));
  std::string line;
  for (int r = 0; r < PQntuples(rows.get()); ++r) {
    line.clear();
    for (int c = 0; c < PQnfields(rows.get()); ++c) {
      if (c) line += '\t';
      if (PQgetisnull(rows.get(), r, c)) {
        line += "\\N";
      } else {
        append_copy_field(line, PQgetvalue(rows.get(), r, c));
      }
    }
    line += '\n';
    if (PQputCopyData(conn.get(), line.data(), static_cast<int>(line.size())) != 1)
      ctx.fail(step, "COPY lost the database: " + error_of(conn.get()));
  }
  if (PQputCopyEnd(conn.get(), nullptr) != 1)
    ctx.fail(step, "COPY lost the database: " + error_of(conn.get()));
  const Result ended(PQgetResult(conn.get()), &PQclear);
  if (PQresultStatus(ended.get()) != PGRES_COMMAND_OK)
    ctx.fail(step, "COPY into " + table.dotted() + " failed: " + error_of(conn.get()));
  ctx.progress.stage(
      "copy", "copied " + std::to_string(PQntuples(rows.get())) + " rows into " + table.dotted());
}

}  // namespace

StepHandler copy_step() {
  return {{"copy",
           {"copy table=SCHEMA.TABLE"},
           "the rows the body's query returns (its column names: the table's columns), loaded "
           "by one COPY FROM STDIN in a transaction of its own: multi-insert WAL records, many "
           "rows to one LSN, as a bulk load writes them",
           {{"", {{{"table", {}}}, {}, StepForm::Body::Required, StepForm::BodyKind::Sql}}}},
          run_copy};
}

}  // namespace cdc
