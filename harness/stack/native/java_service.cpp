#include "harness/stack/native/java_service.hpp"

namespace cdc::native {

ProcessSpec java_process(const Toolchain& tools, std::string name, const std::string& main_class,
                         std::vector<std::string> main_args, const std::filesystem::path& log,
                         const std::filesystem::path& cwd, const std::string& heap) {
  std::vector<std::string> args = {"-Xms128m",
                                   "-Xmx" + heap,
                                   "-XX:+UseG1GC",
                                   "-XX:MaxGCPauseMillis=20",
                                   "-Djava.awt.headless=true",
                                   "-Dlog4j2.configurationFile=" CDC_SOURCE_DIR
                                   "/harness/stack/native/log4j2.properties",
                                   "-cp",
                                   (tools.kafka_jars / "*").string(),
                                   main_class};
  args.insert(args.end(), main_args.begin(), main_args.end());
  return ProcessSpec{std::move(name), tools.java, std::move(args), log, cwd, std::nullopt};
}

}  // namespace cdc::native
