#pragma once
#include <filesystem>
#include <string>
#include <vector>

#include "harness/common/process.hpp"
#include "harness/stack/native/toolchain.hpp"

namespace cdc::native {

// A JVM process of the stack (broker, storage tool, Connect worker): Kafka's jars on the
// classpath, logging through the harness's log4j2 config into `log`.
ProcessSpec java_process(const Toolchain& tools, std::string name, const std::string& main_class,
                         std::vector<std::string> main_args, const std::filesystem::path& log,
                         const std::filesystem::path& cwd, const std::string& heap);

}  // namespace cdc::native
