// LineChart: series of (x, y) values drawn as an SVG line chart with axes, a
// legend, an optional second y axis on the right (a learning rate beside a
// loss), log scales, and vertical markers (the best epoch).
//
//   mlp::report::LineChart chart({.title = "loss", .x_label = "epoch"});
//   chart.add({.name = "train", .y = history["loss"]});
//   chart.mark(3, "best epoch 3");
//   std::string svg = chart.svg();
#pragma once

#include <string>
#include <vector>

namespace mlp::report {

/// The i-th colour of the charts' palette (Tableau 10), "#rrggbb": for giving
/// related series one colour.
std::string palette(std::size_t i);

struct Series {
    std::string name = "";
    std::vector<double> x{};  ///< empty: 1, 2, 3, ... (epochs)
    std::vector<double> y{};  ///< non-finite values (and <= 0 on a log scale) leave gaps
    std::string colour = "";  ///< "#rrggbb"; empty: the next colour of the palette
    bool dashed = false;
    bool points = false;      ///< dots instead of a line
    bool right_axis = false;  ///< drawn against the second y axis
};

struct ChartOptions {
    std::string id = "";  ///< data-chart attribute of the <svg>, for tests and styling
    std::string title = "";
    std::string x_label = "";
    std::string y_label = "";
    std::string y2_label = "";  ///< the right axis, when a series uses it
    bool log_y = false;
    bool log_y2 = false;
    int width = 560;
    int height = 320;
};

class LineChart {
public:
    explicit LineChart(ChartOptions options);
    LineChart& add(Series series);
    /// A dashed vertical line at x with a label.
    LineChart& mark(double x, std::string label);
    /// Whether any series has a value that would be drawn.
    bool has_data() const;
    std::string svg() const;

private:
    ChartOptions options_;
    std::vector<Series> series_;
    std::vector<std::pair<double, std::string>> marks_;
};

}  // namespace mlp::report
