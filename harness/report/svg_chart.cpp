#include "harness/report/svg_chart.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace cdc {

namespace {

const char* kColors[] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"};

}  // namespace

std::string html_escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else if (c == '&')
      out += "&amp;";
    else
      out += c;
  }
  return out;
}

namespace {

std::string number(double v) {
  char text[32];
  if (std::fabs(v) >= 100 || v == std::floor(v)) {
    std::snprintf(text, sizeof text, "%.0f", v);
  } else {
    std::snprintf(text, sizeof text, "%.2g", v);
  }
  return text;
}

}  // namespace

std::string render_svg(const Chart& chart) {
  constexpr double kWidth = 640, kHeight = 360, kLeft = 64, kRight = 16, kTop = 32, kBottom = 48;
  double x_min = std::numeric_limits<double>::max(), x_max = std::numeric_limits<double>::lowest();
  double y_min = 0, y_max = std::numeric_limits<double>::lowest();
  auto x_of = [&](double x) { return chart.log_x ? std::log10(std::max(x, 1e-3)) : x; };
  for (const auto& s : chart.series) {
    for (const auto& [x, y] : s.points) {
      x_min = std::min(x_min, x_of(x));
      x_max = std::max(x_max, x_of(x));
      y_min = std::min(y_min, y);
      y_max = std::max(y_max, y);
    }
  }
  for (const auto& b : chart.bands) {
    x_min = std::min({x_min, x_of(b.from), x_of(b.to)});
    x_max = std::max({x_max, x_of(b.from), x_of(b.to)});
  }
  std::string svg = "<svg xmlns='http://www.w3.org/2000/svg' width='" + number(kWidth) +
                    "' height='" + number(kHeight) + "' role='img'><title>" +
                    html_escape(chart.title) + "</title>";
  svg += "<rect width='100%' height='100%' fill='white'/>";
  svg += "<text x='" + number(kWidth / 2) +
         "' y='20' text-anchor='middle' font-size='14' font-weight='bold'>" +
         html_escape(chart.title) + "</text>";
  if (x_max < x_min) return svg + "<text x='50%' y='50%' text-anchor='middle'>no data</text></svg>";
  if (x_max == x_min) x_max = x_min + 1;
  if (y_max <= y_min) y_max = y_min + 1;
  const double plot_w = kWidth - kLeft - kRight, plot_h = kHeight - kTop - kBottom;
  auto px = [&](double x) { return kLeft + (x_of(x) - x_min) / (x_max - x_min) * plot_w; };
  auto py = [&](double y) { return kTop + plot_h - (y - y_min) / (y_max - y_min) * plot_h; };
  // Axes, ticks and labels.
  svg += "<g stroke='#888' stroke-width='1'><line x1='" + number(kLeft) + "' y1='" +
         number(kTop + plot_h) + "' x2='" + number(kLeft + plot_w) + "' y2='" +
         number(kTop + plot_h) + "'/><line x1='" + number(kLeft) + "' y1='" + number(kTop) +
         "' x2='" + number(kLeft) + "' y2='" + number(kTop + plot_h) + "'/></g>";
  for (int i = 0; i <= 4; ++i) {
    const double fx = x_min + (x_max - x_min) * i / 4.0;
    const double x_value = chart.log_x ? std::pow(10.0, fx) : fx;
    const double y_value = y_min + (y_max - y_min) * i / 4.0;
    const double x_pos = kLeft + plot_w * i / 4.0, y_pos = kTop + plot_h - plot_h * i / 4.0;
    svg += "<text x='" + number(x_pos) + "' y='" + number(kTop + plot_h + 16) +
           "' text-anchor='middle' font-size='11'>" + number(x_value) + "</text>";
    svg += "<text x='" + number(kLeft - 6) + "' y='" + number(y_pos + 4) +
           "' text-anchor='end' font-size='11'>" + number(y_value) + "</text>";
    svg += "<line x1='" + number(kLeft) + "' y1='" + number(y_pos) + "' x2='" +
           number(kLeft + plot_w) + "' y2='" + number(y_pos) + "' stroke='#eee'/>";
  }
  svg += "<text x='" + number(kLeft + plot_w / 2) + "' y='" + number(kHeight - 8) +
         "' text-anchor='middle' font-size='12'>" + html_escape(chart.x_label) + "</text>";
  svg += "<text transform='translate(14," + number(kTop + plot_h / 2) +
         ") rotate(-90)' text-anchor='middle' font-size='12'>" + html_escape(chart.y_label) +
         "</text>";
  for (size_t i = 0; i < chart.bands.size(); ++i) {
    const auto& b = chart.bands[i];
    const double left = px(b.from), width = std::max(1.0, px(b.to) - px(b.from));
    svg += "<rect x='" + number(left) + "' y='" + number(kTop) + "' width='" + number(width) +
           "' height='" + number(plot_h) + "' fill='#f4a261' fill-opacity='0.25'><title>" +
           html_escape(b.name) + "</title></rect><text x='" + number(left + 2) + "' y='" +
           number(kTop + plot_h - 4 - 12.0 * static_cast<double>(i % 3)) +
           "' font-size='10' fill='#9a5b20'>" + html_escape(b.name) + "</text>";
  }
  for (size_t i = 0; i < chart.series.size(); ++i) {
    const auto& s = chart.series[i];
    const std::string color = kColors[i % 6];
    if (chart.scatter) {
      svg += "<g fill='" + color + "' fill-opacity='0.5'>";
      for (const auto& [x, y] : s.points)
        svg += "<circle cx='" + number(px(x)) + "' cy='" + number(py(y)) + "' r='1.5'/>";
      svg += "</g>";
    } else {
      std::string path;
      for (const auto& [x, y] : s.points)
        path += (path.empty() ? "M" : "L") + number(px(x)) + "," + number(py(y));
      svg += "<path d='" + path + "' fill='none' stroke='" + color + "' stroke-width='2'/>";
    }
    svg += "<rect x='" + number(kLeft + 10) + "' y='" +
           number(kTop + 6 + 16.0 * static_cast<double>(i)) + "' width='10' height='10' fill='" +
           color + "'/><text x='" + number(kLeft + 26) + "' y='" +
           number(kTop + 15 + 16.0 * static_cast<double>(i)) + "' font-size='11'>" +
           html_escape(s.name) + "</text>";
  }
  return svg + "</svg>";
}

}  // namespace cdc
