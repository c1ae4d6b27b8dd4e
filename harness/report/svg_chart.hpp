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

// A span of x shaded across the plot, labelled (a fault, from its start to its heal).
struct ChartBand {
  std::string name{};
  double from = 0, to = 0;
};

struct Chart {
  std::string title{};
  std::string x_label{};
  std::string y_label{};
  std::vector<ChartSeries> series{};
  bool log_x = false;
  bool scatter = false;
  std::vector<ChartBand> bands{};
};

std::string render_svg(const Chart& chart);

// Text made safe to place in HTML or SVG.
std::string html_escape(const std::string& text);

}  // namespace cdc
