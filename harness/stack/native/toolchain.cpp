#include "harness/stack/native/toolchain.hpp"

#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <boost/process/search_path.hpp>
#include <cstdlib>
#include <vector>

#include "harness/common/errors.hpp"
#include "harness/common/files.hpp"
#include "harness/common/process.hpp"
#include "harness/common/text.hpp"
#include "harness/common/timeouts.hpp"
#include "harness/stack/version_sets.hpp"

namespace cdc::native {
namespace fs = std::filesystem;

namespace {

std::string env_or(const char* name, const std::string& fallback) {
  const char* value = std::getenv(name);
  return (value != nullptr && *value != '\0') ? std::string(value) : fallback;
}

bool has_file_starting(const fs::path& dir, const std::string& prefix) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return false;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.path().filename().string().rfind(prefix, 0) == 0) return true;
  }
  return false;
}

// Kafka 4 and Debezium 3 are built for Java 17: an older JVM would fail later with an
// UnsupportedClassVersionError deep in a log, so ask the JVM before anything starts.
// Returns what `java -version` said.
std::string require_java_17(const fs::path& java) {
  const auto output =
      run_captured(ProcessSpec{"java -version", java, {"-version"}, {}, "/", {}, {}},
                   scaled(std::chrono::seconds(30)));
  const int major = java_major_version(output.err + output.out);
  if (major == 0) {
    throw HarnessError(
        java.string() + " -version says nothing recognisable (" +
        first_line(output.err + output.out) +
        "): point JAVA_HOME at a JDK 17+ (e.g. `apt-get install openjdk-17-jre-headless`)");
  }
  if (major < 17) {
    throw HarnessError("Java " + std::to_string(major) + " at " + java.string() +
                       " is too old: Kafka 4 and Debezium 3 need Java 17+; install it with "
                       "`apt-get install openjdk-17-jre-headless` and point JAVA_HOME at it");
  }
  return output.err + output.out;
}

fs::path find_java() {
  if (const char* home = std::getenv("JAVA_HOME"); home != nullptr && *home != '\0') {
    const fs::path java = fs::path(home) / "bin" / "java";
    if (fs::exists(java)) return java;
    throw HarnessError("JAVA_HOME=" + std::string(home) +
                       " has no bin/java: point JAVA_HOME at a JDK 17+ or unset it");
  }
  const auto found = boost::process::search_path("java");
  if (found.empty()) {
    throw HarnessError(
        "Java not found: Kafka 4 and Debezium 3 need Java 17+; install it with "
        "`apt-get install openjdk-17-jre-headless` (or run ci/setup.sh)");
  }
  return found.string();
}

fs::path locate_pg_bindir() {
  if (const char* dir = std::getenv("CDC_HARNESS_PG_BINDIR"); dir != nullptr && *dir != '\0') {
    if (fs::exists(fs::path(dir) / "initdb")) return dir;
    throw HarnessError("CDC_HARNESS_PG_BINDIR=" + std::string(dir) +
                       " has no initdb: point it at a PostgreSQL bin directory or unset it");
  }
  // Debian keeps server binaries off PATH, one directory per major version; take the newest.
  std::vector<fs::path> candidates;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", ec)) {
    if (fs::exists(entry.path() / "bin" / "initdb")) candidates.push_back(entry.path() / "bin");
  }
  std::sort(candidates.begin(), candidates.end(), [](const fs::path& a, const fs::path& b) {
    return std::atoi(a.parent_path().filename().c_str()) <
           std::atoi(b.parent_path().filename().c_str());
  });
  if (!candidates.empty()) return candidates.back();
  const auto initdb = boost::process::search_path("initdb");
  if (!initdb.empty()) return initdb.parent_path().string();
  throw HarnessError(
      "PostgreSQL server binaries (initdb, pg_ctl) not found: install them with "
      "`apt-get install postgresql-15` (or run ci/setup.sh)");
}

std::optional<std::string> postgres_os_user() {
  if (::geteuid() != 0) return std::nullopt;
  const std::string user = env_or("CDC_HARNESS_PG_OS_USER", "postgres");
  if (::getpwnam(user.c_str()) == nullptr) {
    throw HarnessError("running as root, and PostgreSQL refuses root, but OS user '" + user +
                       "' does not exist: install postgresql (it creates 'postgres') or set "
                       "CDC_HARNESS_PG_OS_USER to an unprivileged user");
  }
  return user;
}

fs::path locate_toxiproxy() {
  if (const char* path = std::getenv("CDC_HARNESS_TOXIPROXY"); path != nullptr && *path != '\0') {
    if (fs::exists(path)) return path;
    throw HarnessError("CDC_HARNESS_TOXIPROXY=" + std::string(path) +
                       " does not exist: point it at a toxiproxy-server binary or unset it");
  }
  if (fs::exists(toxiproxy_install_path())) return toxiproxy_install_path();
  const auto found = boost::process::search_path("toxiproxy-server");
  if (!found.empty()) return found.string();
  throw HarnessError(
      "Toxiproxy's server not found (the native stack carries Connect's connections through "
      "it): build it with `bash ci/install-toxiproxy.sh` (or run ci/setup.sh)");
}

fs::path locate_metrics_agent() {
  if (const char* path = std::getenv("CDC_HARNESS_METRICS_AGENT"); path && *path != '\0') {
    if (fs::exists(path)) return path;
    throw HarnessError("CDC_HARNESS_METRICS_AGENT=" + std::string(path) +
                       " does not exist: point it at jmx_prometheus_javaagent's jar or unset it");
  }
  if (fs::exists(metrics_agent_install_path())) return metrics_agent_install_path();
  throw HarnessError(
      "the Prometheus JMX exporter's agent not found (Connect's task metrics let a scenario "
      "file settle without waiting for the offset flush): resolve it with `bash "
      "ci/install-metrics-agent.sh` (or run ci/setup.sh)");
}

// Apicurio's registry and converter, resolved by ci/install-schema-registry.sh.
void locate_schema_registry(Toolchain& tools) {
  const fs::path dir = schema_registry_install_path();
  tools.schema_registry_jar =
      dir / "registry" / ("apicurio-registry-app-" CDC_APICURIO_VERSION "-runner.jar");
  tools.avro_converter_plugins = dir / "plugins";
  if (!fs::exists(dir / ".complete") || !fs::exists(tools.schema_registry_jar)) {
    throw HarnessError(
        "Apicurio Registry " CDC_APICURIO_VERSION " and its AvroConverter not found in " +
        dir.string() +
        " (--converter avro runs them): resolve them with `bash ci/install-schema-registry.sh` "
        "(or run ci/setup.sh)");
  }
}

}  // namespace

fs::path toxiproxy_install_path() {
  return harness_cache_dir() / "tools" / ("toxiproxy-" CDC_TOXIPROXY_VERSION) / "toxiproxy-server";
}

fs::path metrics_agent_install_path() {
  return harness_cache_dir() / "tools" /
         ("jmx_prometheus_javaagent-" CDC_METRICS_AGENT_VERSION ".jar");
}

fs::path schema_registry_install_path() {
  return harness_cache_dir() / "tools" / ("apicurio-" CDC_APICURIO_VERSION);
}

std::string connect_plugin_path(const Toolchain& tools) {
  return tools.connect_plugins.string() +
         (tools.avro_converter_plugins.empty() ? "" : "," + tools.avro_converter_plugins.string());
}

fs::path jars_dir(const std::string& version_set) {
  if (const char* dir = std::getenv("CDC_HARNESS_JARS"); dir != nullptr && *dir != '\0') return dir;
  return harness_cache_dir() / "jars" / version_set_named(version_set).key;
}

int java_major_version(const std::string& version_output) {
  // `openjdk version "17.0.9" 2023-10-17`, `java version "1.8.0_392"`: the quoted version.
  const auto open = version_output.find("version \"");
  if (open == std::string::npos) return 0;
  const std::string version = version_output.substr(open + 9);
  const int first = std::atoi(version.c_str());
  if (first == 1) {  // 1.8 and older: the major is the second number
    const auto dot = version.find('.');
    return dot == std::string::npos ? 0 : std::atoi(version.c_str() + dot + 1);
  }
  return first;
}

Toolchain locate_toolchain(const std::string& version_set, bool schema_registry) {
  Toolchain tools;
  tools.version_set = version_set.empty() ? default_version_set() : version_set;
  tools.java = find_java();
  tools.java_version = require_java_17(tools.java);
  tools.pg_bindir = locate_pg_bindir();
  tools.pg_templates = harness_cache_dir() / "postgres-templates";
  tools.pg_os_user = postgres_os_user();
  tools.toxiproxy = locate_toxiproxy();
  tools.metrics_agent = locate_metrics_agent();
  if (schema_registry) locate_schema_registry(tools);
  const fs::path jars = jars_dir(tools.version_set);
  tools.jars = jars;
  tools.kafka_jars = jars / "kafka";
  tools.connect_plugins = jars / "plugins";
  if (!has_file_starting(tools.kafka_jars, "kafka_2.13-") ||
      !has_file_starting(tools.connect_plugins / "debezium-connector-postgres",
                         "debezium-connector-postgres-")) {
    throw HarnessError("Kafka and Debezium jars of the " + tools.version_set +
                       " set not found in " + jars.string() +
                       ": resolve them with `bash ci/resolve-jars.sh " + tools.version_set +
                       "` (needs Maven and Maven Central)");
  }
  return tools;
}

}  // namespace cdc::native
