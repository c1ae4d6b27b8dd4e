#include "harness/stack/native/postgres_server.hpp"

#include <libpq-fe.h>
#include <pwd.h>
#include <signal.h>
#include <unistd.h>

#include <fstream>
#include <memory>
#include <pqxx/pqxx>
#include <sstream>

#include "harness/common/errors.hpp"
#include "harness/common/files.hpp"
#include "harness/common/process.hpp"
#include "harness/common/timeouts.hpp"
#include "harness/common/wait.hpp"

namespace cdc::native {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

void give_to(const fs::path& path, const std::optional<std::string>& user) {
  if (!user) return;
  const passwd* pw = ::getpwnam(user->c_str());
  if (pw == nullptr || ::chown(path.c_str(), pw->pw_uid, pw->pw_gid) != 0) {
    throw HarnessError("cannot hand " + path.string() + " to OS user " + *user);
  }
}

ProcessSpec pg_tool(const PostgresServer& server, const std::string& tool,
                    std::vector<std::string> args, const fs::path& log) {
  return ProcessSpec{tool, server.bindir / tool, std::move(args), log, server.dir, server.os_user};
}

std::optional<int> postmaster_pid(const PostgresServer& server) {
  std::ifstream pid_file(server.data_dir() / "postmaster.pid");
  int pid = 0;
  if (pid_file >> pid && pid > 0) return pid;
  return std::nullopt;
}

std::string scram_verifier(const PostgresEndpoint& admin, const std::string& role,
                           const std::string& password) {
  std::unique_ptr<PGconn, decltype(&PQfinish)> conn(PQconnectdb(admin.conninfo().c_str()),
                                                    &PQfinish);
  if (PQstatus(conn.get()) != CONNECTION_OK) {
    throw HarnessError("cannot connect to Postgres as " + admin.describe() + ": " +
                       PQerrorMessage(conn.get()));
  }
  std::unique_ptr<char, decltype(&PQfreemem)> verifier(
      PQencryptPasswordConn(conn.get(), password.c_str(), role.c_str(), "scram-sha-256"),
      &PQfreemem);
  if (!verifier) throw HarnessError("cannot hash the password of role " + role);
  return verifier.get();
}

void give_tree_to(const fs::path& root, const std::optional<std::string>& user) {
  if (!user) return;
  give_to(root, user);
  for (const auto& entry : fs::recursive_directory_iterator(root)) give_to(entry.path(), user);
}

// Which template fits this server: its binaries (path and build) and its superuser's name.
fs::path template_dir(const PostgresServer& server, const std::string& superuser,
                      const fs::path& templates) {
  std::error_code ec;
  const auto built = fs::last_write_time(server.bindir / "postgres", ec).time_since_epoch().count();
  std::ostringstream key;
  key << std::hex
      << std::hash<std::string>{}(server.bindir.string() + "\n" + superuser + "\n" +
                                  std::to_string(built));
  return templates / key.str();
}

void run_initdb(const PostgresServer& server, const std::string& superuser,
                const std::string& password) {
  const fs::path pwfile = server.dir / "superuser.pw";
  write_file(pwfile, password + "\n", fs::perms::owner_read | fs::perms::owner_write);
  give_to(pwfile, server.os_user);
  try {
    run_command(
        pg_tool(server, "initdb",
                {"-D", server.data_dir().string(), "--username=" + superuser,
                 "--pwfile=" + pwfile.string(), "--auth-host=scram-sha-256", "--auth-local=peer",
                 "--encoding=UTF8", "--locale=C", "--no-sync", "--no-instructions"},
                server.dir / "initdb.log"),
        scaled(60s));
  } catch (...) {
    fs::remove(pwfile);
    throw;
  }
  fs::remove(pwfile);
}

// The server's data directory, copied from initdb's output for these binaries, made once and
// kept in `templates`: initdb is most of Postgres's start, and runs while both JVMs start on
// the same cores. Returns the superuser's password in that copy.
std::string data_directory_from_template(const PostgresServer& server, const std::string& superuser,
                                         const fs::path& templates, const Progress& progress) {
  const fs::path kept = template_dir(server, superuser, templates);
  const auto copy_options = fs::copy_options::recursive | fs::copy_options::copy_symlinks;
  std::error_code ec;
  if (fs::exists(kept / "data" / "PG_VERSION", ec) && fs::exists(kept / "superuser.pw", ec)) {
    fs::copy(kept / "data", server.data_dir(), copy_options);
    give_tree_to(server.data_dir(), server.os_user);
    fs::permissions(server.data_dir(), fs::perms::owner_all);
    progress.stage("postgres", "data directory copied from initdb's template");
    return read_file(kept / "superuser.pw");
  }

  const std::string password = random_password();
  run_initdb(server, superuser, password);
  progress.stage("postgres", "initdb done");
  // Kept under a name of its own first: a run beside this one may be keeping its copy too.
  fs::create_directories(templates);
  const fs::path staging =
      templates / (kept.filename().string() + ".new-" + std::to_string(::getpid()));
  fs::remove_all(staging, ec);
  fs::create_directories(staging);
  fs::copy(server.data_dir(), staging / "data", copy_options);
  write_file(staging / "superuser.pw", password, fs::perms::owner_read | fs::perms::owner_write);
  fs::rename(staging, kept, ec);
  if (ec) fs::remove_all(staging, ec);
  return password;
}

}  // namespace

bool reachable_by_others(const fs::path& dir) {
  for (fs::path p = fs::absolute(dir); !p.empty() && p != p.root_path(); p = p.parent_path()) {
    std::error_code ec;
    const auto perms = fs::status(p, ec).permissions();
    if (!ec && (perms & fs::perms::others_exec) == fs::perms::none) return false;
  }
  return true;
}

void start_postgres(const PostgresServer& server, const PostgresEndpoint& admin,
                    const fs::path& templates, const Progress& progress) {
  fs::create_directories(server.dir);
  give_to(server.dir, server.os_user);
  std::ofstream(server.log, std::ios::app).close();  // the server appends as its own user
  give_to(server.log, server.os_user);

  PostgresEndpoint first_admin = admin;
  first_admin.password = data_directory_from_template(server, admin.user, templates, progress);

  std::ofstream conf(server.data_dir() / "postgresql.conf", std::ios::app);
  conf << "\n# --- cdc-harness ---\n"
       << read_file(fs::path(CDC_SOURCE_DIR) / "postgres" / "postgresql.conf")
       << "port = " << server.port << "\n";
  conf.close();

  // The template's superuser password is shared by every run from it: the run's own replaces it
  // before anything else connects (the server listens on 127.0.0.1 only).
  launch_postgres(server, first_admin);
  pqxx::connection conn(first_admin.conninfo());
  pqxx::nontransaction tx(conn);
  tx.exec0("ALTER ROLE " + tx.quote_name(admin.user) + " PASSWORD " +
           tx.quote(scram_verifier(first_admin, admin.user, admin.password)));
}

void launch_postgres(const PostgresServer& server, const PostgresEndpoint& admin) {
  const auto start_timeout = scaled(60s);
  run_command(pg_tool(server, "pg_ctl",
                      {"start", "-D", server.data_dir().string(), "-l", server.log.string(), "-w",
                       "-t", std::to_string(start_timeout.count() / 1000)},
                      server.dir / "pg_ctl.log"),
              start_timeout + 5s);

  wait_for("Postgres on 127.0.0.1:" + std::to_string(server.port) + " to answer SQL", scaled(30s),
           [&] {
             try {
               pqxx::connection conn(admin.conninfo());
               pqxx::nontransaction tx(conn);
               tx.exec1("SELECT 1");
               return Probe<bool>::ready(true);
             } catch (const std::exception& e) {
               if (!postgres_running(server)) {
                 throw HarnessError("Postgres exited during start-up; its log (" +
                                    server.log.string() + ") ends:\n" + tail_of_file(server.log));
               }
               return Probe<bool>::not_yet(e.what());
             }
           });
}

void provision_postgres(const StackEndpoints& endpoints, const fs::path& init_sql) {
  {
    pqxx::connection conn(endpoints.admin.conninfo());
    pqxx::nontransaction tx(conn);
    tx.exec0("CREATE DATABASE " + tx.quote_name(endpoints.app.dbname));
  }
  PostgresEndpoint admin_in_db = endpoints.admin;
  admin_in_db.dbname = endpoints.app.dbname;
  pqxx::connection conn(admin_in_db.conninfo());
  {
    pqxx::work tx(conn);
    try {
      tx.exec0(read_file(init_sql));
    } catch (const pqxx::sql_error& e) {
      throw HarnessError(init_sql.string() + " failed: " + e.what());
    }
    tx.commit();
  }
  pqxx::work tx(conn);
  for (const PostgresEndpoint* role : {&endpoints.app, &endpoints.debezium}) {
    tx.exec0("ALTER ROLE " + tx.quote_name(role->user) + " PASSWORD " +
             tx.quote(scram_verifier(admin_in_db, role->user, role->password)));
  }
  tx.commit();
}

std::vector<int> postgres_processes(const PostgresServer& server) {
  std::vector<int> pids;
  const auto postmaster = postmaster_pid(server);
  if (!postmaster || !is_alive(*postmaster, server.data_dir().string())) return pids;
  pids.push_back(*postmaster);
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/proc", ec)) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream stat(entry.path() / "stat");
    std::string line;
    if (!std::getline(stat, line)) continue;
    // pid (comm) state ppid ...: the parent is the second field after the comm's ')'.
    std::istringstream rest(line.substr(line.rfind(')') + 2));
    std::string state;
    int ppid = 0;
    if (rest >> state >> ppid && ppid == *postmaster) pids.push_back(std::stoi(name));
  }
  return pids;
}

bool postgres_running(const PostgresServer& server) {
  const auto pid = postmaster_pid(server);
  return pid && is_alive(*pid, server.data_dir().string());
}

void stop_postgres(const PostgresServer& server) {
  if (!fs::exists(server.data_dir() / "postmaster.pid")) return;
  try {
    const auto timeout = scaled(30s);
    run_command(pg_tool(server, "pg_ctl",
                        {"stop", "-D", server.data_dir().string(), "-m", "fast", "-w", "-t",
                         std::to_string(timeout.count() / 1000)},
                        server.dir / "pg_ctl.log"),
                timeout + 5s);
  } catch (const HarnessError&) {
    // pg_ctl could not stop it (or is gone): take the postmaster down directly.
    if (const auto pid = postmaster_pid(server))
      stop_process(*pid, server.data_dir().string(), scaled(10s));
  }
}

}  // namespace cdc::native
