#pragma once
#include <filesystem>
#include <string>
#include <vector>

#include "harness/common/process.hpp"
#include "harness/stack/native/toolchain.hpp"

namespace cdc::native {

// Class data sharing (JEP 350): the classes a service's JVM loaded, archived when it exits,
// are mapped by its next start instead of being loaded and verified again; JVM start is most
// of a bring-up. One archive per service, Java build and jar set, in the jars' cache.
struct ClassArchive {
  std::filesystem::path archive{};  // mapped when it exists
  std::filesystem::path dump{};     // otherwise written here at a graceful exit
};
ClassArchive class_archive(const Toolchain& tools, const std::string& service);

// Makes a dump the archive once its JVM has exited gracefully (a killed JVM's dump may be
// cut short, so it is only removed); the first dump wins when two stacks raced.
void promote_class_archive(const std::filesystem::path& dump, bool exited_gracefully);

// Asks a JVM that will not stop why: on SIGQUIT HotSpot writes every thread's stack to its
// stdout, which is `log`. Waits (with a deadline) until the dump is written; says if it was.
bool dump_threads(int pid, const std::filesystem::path& log);

// A JVM process of the stack (broker, storage tool, Connect worker): Kafka's jars on the
// classpath, logging through the harness's log4j2 config into `log`.
ProcessSpec java_process(const Toolchain& tools, std::string name, const std::string& main_class,
                         std::vector<std::string> main_args, const std::filesystem::path& log,
                         const std::filesystem::path& cwd, const std::string& heap,
                         const ClassArchive* classes = nullptr);

}  // namespace cdc::native
