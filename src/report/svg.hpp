// What every chart shares: numbers written compactly, text escaped, a colour
// palette, and the scales and axes that map data to the drawing.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace mlp::report::svg {

/// A coordinate or value with at most `digits` significant digits ("12.5", "0.001").
std::string num(double v, int digits = 5);
/// `text` with &, <, >, " and ' escaped for XML and HTML.
std::string escape(std::string_view text);
/// The i-th colour of a 10-colour categorical palette (Tableau 10), "#rrggbb".
const char* colour(std::size_t i);
/// r, g, b in [0, 255] of a "#rrggbb" colour.
void rgb(const char* colour, int& r, int& g, int& b);

/// Maps a data interval onto a pixel interval, linearly or by log10. The data
/// interval is widened to round ends (nice ticks; whole decades on a log scale).
class Scale {
public:
    Scale(double lo, double hi, double pixel_lo, double pixel_hi, bool log = false);
    double operator()(double v) const;
    /// Round values inside the interval, 4 to 8 of them on a linear scale.
    std::vector<double> ticks() const;
    double lo() const { return lo_; }
    double hi() const { return hi_; }
    bool log() const { return log_; }

private:
    double lo_, hi_, pixel_lo_, pixel_hi_;
    bool log_;
    double step_ = 1;  // linear tick spacing
};

/// The smallest and largest finite values (positive ones only when `positive`);
/// {0, 1} when there are none.
std::pair<double, double> finite_range(const std::vector<const std::vector<double>*>& values, bool positive);

struct Frame {
    double left = 60, top = 30, right = 20, bottom = 45;  ///< margins in pixels
    int width = 560, height = 320;
    double x0() const { return left; }
    double x1() const { return width - right; }
    double y0() const { return height - bottom; }  ///< the bottom edge (y grows downwards)
    double y1() const { return top; }
};

/// Opens an <svg> with a title, class "chart" and data-chart="`id`".
std::string open(const Frame& frame, const std::string& id, const std::string& title);
/// Grid lines, tick labels and axis labels for x along the bottom and y on the left
/// (or the right when `right_side`, without grid lines).
std::string x_axis(const Frame& frame, const Scale& x, const std::string& label);
std::string y_axis(const Frame& frame, const Scale& y, const std::string& label, bool right_side = false);

}  // namespace mlp::report::svg
