#pragma once
#include <string>
#include <utility>
#include <vector>

namespace cdc {

// A small line/scatter chart rendered as inline SVG.
struct ChartSeries {
  std::string name{};
  std::vector<std::pair<double, double>> points{};
};

struct Chart {
  std::string title{};
  std::string x_label{};
  std::string y_label{};
  std::vector<ChartSeries> series{};
  bool log_x = false;
  bool scatter = false;
};

std::string render_svg(const Chart& chart);

// Text made safe to place in HTML or SVG.
std::string html_escape(const std::string& text);

}  // namespace cdc
