#include "harness/stack/native/java_service.hpp"

#include <signal.h>
#include <unistd.h>

#include <fstream>
#include <functional>
#include <iterator>
#include <random>
#include <sstream>

#include "harness/common/errors.hpp"
#include "harness/common/timeouts.hpp"
#include "harness/common/wait.hpp"

namespace cdc::native {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

bool dump_threads(int pid, const fs::path& log) {
  std::error_code ec;
  const std::uintmax_t size = fs::file_size(log, ec);
  const std::streamoff from = ec ? 0 : static_cast<std::streamoff>(size);
  if (::kill(pid, SIGQUIT) != 0) return false;
  try {
    wait_for(
        "a thread dump of pid " + std::to_string(pid) + " in " + log.string(), scaled(5s),
        [&] {
          std::ifstream in(log, std::ios::binary);
          in.seekg(from);
          const std::string text((std::istreambuf_iterator<char>(in)),
                                 std::istreambuf_iterator<char>());
          const auto start = text.find("Full thread dump");
          if (start == std::string::npos) return Probe<bool>::not_yet("no thread dump yet");
          // HotSpot ends the threads with this line.
          if (text.find("JNI global refs", start) == std::string::npos)
            return Probe<bool>::not_yet("a thread dump begun, not ended");
          return Probe<bool>::ready(true);
        },
        100ms);
    return true;
  } catch (const TimeoutError&) {
    return false;
  }
}

ClassArchive class_archive(const Toolchain& tools, const std::string& service) {
  // The JVM refuses an archive from another build of itself; a key per build keeps one each.
  std::ostringstream key;
  key << std::hex << std::hash<std::string>{}(tools.java.string() + "\n" + tools.java_version);
  const fs::path dir = tools.jars / "class-archives" / key.str();
  std::random_device random;
  return {dir / (service + ".jsa"), dir / (service + ".jsa.dump-" + std::to_string(::getpid()) +
                                           "-" + std::to_string(random() % 1000000))};
}

void promote_class_archive(const fs::path& dump, bool exited_gracefully) {
  std::error_code ec;
  if (dump.empty() || !fs::exists(dump, ec)) return;
  const std::string name = dump.filename().string();
  const fs::path archive = dump.parent_path() / name.substr(0, name.find(".dump-"));
  if (exited_gracefully && fs::file_size(dump, ec) > 0 && !fs::exists(archive, ec)) {
    fs::rename(dump, archive, ec);
  }
  fs::remove(dump, ec);
}

ProcessSpec java_process(const Toolchain& tools, std::string name, const std::string& main_class,
                         std::vector<std::string> main_args, const std::filesystem::path& log,
                         const std::filesystem::path& cwd, const std::string& heap,
                         const ClassArchive* classes) {
  std::vector<std::string> args = {
      // The serial collector, not G1 as Kafka's scripts choose: on 2 cores G1 cost a stack's
      // start about 1 s more CPU (of 9, Kafka and Connect) and bought the pipeline nothing.
      "-Xms128m", "-Xmx" + heap, "-XX:+UseSerialGC", "-Djava.awt.headless=true",
      // Start-up on 2 cores is CPU-bound, much of it C2 compiling code that runs only while
      // starting; 10x C2's thresholds leave that to C1, and hot paths under load still get C2
      // within seconds (C1 alone would start faster still, but make the pipeline slower).
      "-XX:Tier4InvocationThreshold=50000", "-XX:Tier4CompileThreshold=60000",
      "-XX:Tier4BackEdgeThreshold=400000"};
  if (classes != nullptr) {
    std::error_code ec;
    if (fs::exists(classes->archive, ec)) {
      args.push_back("-XX:SharedArchiveFile=" + classes->archive.string());
    } else {
      fs::create_directories(classes->dump.parent_path(), ec);
      args.push_back("-XX:ArchiveClassesAtExit=" + classes->dump.string());
    }
  }
  args.insert(args.end(), {"-Dlog4j2.configurationFile=" CDC_SOURCE_DIR
                           "/harness/stack/native/log4j2.properties",
                           "-cp", (tools.kafka_jars / "*").string(), main_class});
  args.insert(args.end(), main_args.begin(), main_args.end());
  return ProcessSpec{std::move(name), tools.java, std::move(args), log, cwd, std::nullopt};
}

}  // namespace cdc::native
