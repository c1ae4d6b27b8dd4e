#pragma once
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "harness/common/progress.hpp"
#include "harness/stack/endpoints.hpp"

namespace cdc::native {

struct PostgresServer {
  std::filesystem::path bindir{};
  std::optional<std::string> os_user{};  // runs as this user when the harness is root
  std::filesystem::path dir{};           // data directory lives in dir/data
  std::filesystem::path log{};
  int port = 0;

  std::filesystem::path data_dir() const { return dir / "data"; }
};

// A data directory copied from initdb's output kept in `templates` (made there on first use,
// the superuser's password from a file, never on a command line), server settings from
// postgres/postgresql.conf, pg_ctl start, wait until SQL answers, then the superuser gets
// `admin`'s password.
void start_postgres(const PostgresServer& server, const PostgresEndpoint& admin,
                    const std::filesystem::path& templates, const Progress& progress);

// Creates the pipeline's database and runs postgres/init.sql in it, then gives the app and
// Debezium roles their passwords as SCRAM verifiers (the plain text never reaches the server).
void provision_postgres(const StackEndpoints& endpoints, const std::filesystem::path& init_sql);

// pg_ctl start on the existing data directory, then wait until SQL answers.
void launch_postgres(const PostgresServer& server, const PostgresEndpoint& admin);

// The postmaster and its children (backends, walsenders, background workers), or none.
std::vector<int> postgres_processes(const PostgresServer& server);

// pg_ctl stop -m fast; if that fails, kills the postmaster. Safe when nothing runs.
void stop_postgres(const PostgresServer& server);

bool postgres_running(const PostgresServer& server);

// Whether a user other than the owner can reach `dir` (every directory on the way is
// searchable by others): Postgres, run as another user when the harness is root, needs that.
bool reachable_by_others(const std::filesystem::path& dir);

}  // namespace cdc::native
