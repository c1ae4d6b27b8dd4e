#pragma once
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "harness/experiment/chaos.hpp"

namespace cdc {

// A chaos run for machines (JSON), for people (Markdown, HTML with the latency chart and the
// faults shaded), and all three into `dir`.
nlohmann::json to_json(const ChaosData& data);
std::string markdown_chaos(const ChaosData& data);
std::string html_chaos(const ChaosData& data);
void write_chaos(const ChaosData& data, const std::filesystem::path& dir);

}  // namespace cdc
