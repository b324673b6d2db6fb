#include "mlp/report/line_chart.hpp"

#include <algorithm>
#include <cmath>

#include "svg.hpp"

namespace mlp::report {

namespace {

double x_at(const Series& s, std::size_t i) { return s.x.empty() ? static_cast<double>(i + 1) : s.x[i]; }
/// Where each named series' legend entry goes: rows under the title, from x =
/// `left`, wrapping before `right`. An entry takes its line, a gap and its text
/// (about 6.2 px a character at 11 px).
std::vector<std::pair<double, double>> legend_positions(const std::vector<Series>& series, double left, double right) {
    std::vector<std::pair<double, double>> at;
    double x = left, y = 30;
    for (const Series& s : series) {
        const double width = 36 + 6.2 * static_cast<double>(s.name.size());
        if (!s.name.empty() && x > left && x + width > right) {
            x = left;
            y += 14;
        }
        at.emplace_back(x, y);
        if (!s.name.empty()) x += width;
    }
    return at;
}

/// Points in the series: y's length, or x's when shorter.
std::size_t length(const Series& s) { return s.x.empty() ? s.y.size() : std::min(s.x.size(), s.y.size()); }

bool drawable(double x, double y, bool log_y) { return std::isfinite(x) && std::isfinite(y) && (!log_y || y > 0); }

/// The series as one <path> (gaps where values cannot be drawn) or as dots.
std::string draw(const Series& s, const svg::Scale& x, const svg::Scale& y, const std::string& colour) {
    const std::size_t n = length(s);
    std::string out;
    if (s.points) {
        out += "<g class=\"series points\" fill=\"" + colour + "\" data-series=\"" + svg::escape(s.name) + "\">";
        for (std::size_t i = 0; i < n; ++i)
            if (drawable(x_at(s, i), s.y[i], y.log()))
                out += "<circle cx=\"" + svg::num(x(x_at(s, i))) + "\" cy=\"" + svg::num(y(s.y[i])) + "\" r=\"2.5\"/>";
        return out + "</g>\n";
    }
    std::string d;
    bool pen_down = false;
    for (std::size_t i = 0; i < n; ++i) {
        if (!drawable(x_at(s, i), s.y[i], y.log())) {
            pen_down = false;
            continue;
        }
        d += (pen_down ? "L" : "M") + svg::num(x(x_at(s, i))) + " " + svg::num(y(s.y[i]));
        pen_down = true;
    }
    out += "<path class=\"series\" data-series=\"" + svg::escape(s.name) + "\" fill=\"none\" stroke=\"" + colour +
           "\" stroke-width=\"2\"" + (s.dashed ? " stroke-dasharray=\"6 4\"" : "") + " d=\"" + d + "\">";
    out += "<title>" + svg::escape(s.name) + "</title></path>\n";
    // A single point would be invisible as a path: mark it.
    if (n == 1 && drawable(x_at(s, 0), s.y[0], y.log()))
        out += "<circle cx=\"" + svg::num(x(x_at(s, 0))) + "\" cy=\"" + svg::num(y(s.y[0])) + "\" r=\"3\" fill=\"" +
               colour + "\"/>\n";
    return out;
}

}  // namespace

std::string palette(std::size_t i) { return svg::colour(i); }

LineChart::LineChart(ChartOptions options) : options_(std::move(options)) {}

LineChart& LineChart::add(Series series) {
    series_.push_back(std::move(series));
    return *this;
}

LineChart& LineChart::mark(double x, std::string label) {
    marks_.emplace_back(x, std::move(label));
    return *this;
}

bool LineChart::has_data() const {
    return std::any_of(series_.begin(), series_.end(), [&](const Series& s) {
        const bool log = s.right_axis ? options_.log_y2 : options_.log_y;
        for (std::size_t i = 0; i < length(s); ++i)
            if (drawable(x_at(s, i), s.y[i], log)) return true;
        return false;
    });
}

std::string LineChart::svg() const {
    const bool two_axes = std::any_of(series_.begin(), series_.end(), [](const Series& s) { return s.right_axis; });
    // The legend sits in rows under the title, the top margin grown to fit them, so it never hides a curve.
    const auto legend_at = legend_positions(series_, svg::Frame{}.left, options_.width - 10.0);
    const double legend_bottom = legend_at.empty() ? 30 : legend_at.back().second;
    svg::Frame frame{
        .top = 16 + legend_bottom, .right = two_axes ? 64.0 : 20.0, .width = options_.width, .height = options_.height};

    std::vector<double> xs;
    std::vector<const std::vector<double>*> left, right;
    for (const Series& s : series_) {
        for (std::size_t i = 0; i < length(s); ++i) xs.push_back(x_at(s, i));
        (s.right_axis ? right : left).push_back(&s.y);
    }
    const auto [x_lo, x_hi] = svg::finite_range({&xs}, false);
    const svg::Scale x(x_lo, x_hi, frame.x0(), frame.x1());
    const auto [y_lo, y_hi] = svg::finite_range(left, options_.log_y);
    const svg::Scale y(y_lo, y_hi, frame.y0(), frame.y1(), options_.log_y);
    const auto [y2_lo, y2_hi] = svg::finite_range(right, options_.log_y2);
    const svg::Scale y2(y2_lo, y2_hi, frame.y0(), frame.y1(), options_.log_y2);

    std::string out = svg::open(frame, options_.id, options_.title);
    out += svg::x_axis(frame, x, options_.x_label);
    out += svg::y_axis(frame, y, options_.y_label);
    if (two_axes) out += svg::y_axis(frame, y2, options_.y2_label, true);
    for (const auto& [at, label] : marks_) {
        const std::string px = svg::num(x(at));
        // The label goes left of the line in the chart's right half, so it stays inside.
        const bool left_of = x(at) > (frame.x0() + frame.x1()) / 2;
        out += "<g class=\"marker\"><line x1=\"" + px + "\" x2=\"" + px + "\" y1=\"" + svg::num(frame.y1()) +
               "\" y2=\"" + svg::num(frame.y0()) + "\"/><text x=\"" + svg::num(x(at) + (left_of ? -4 : 4)) + "\" y=\"" +
               svg::num(frame.y1() + 12) + "\" text-anchor=\"" + (left_of ? "end" : "start") + "\">" +
               svg::escape(label) + "</text></g>\n";
    }
    std::size_t next_colour = 0;
    std::string legend;
    for (std::size_t i = 0; i < series_.size(); ++i) {
        const Series& s = series_[i];
        const std::string colour = s.colour.empty() ? svg::colour(next_colour++) : s.colour;
        out += draw(s, x, s.right_axis ? y2 : y, colour);
        if (s.name.empty()) continue;
        const auto [lx, ly] = legend_at[i];
        legend += "<line x1=\"" + svg::num(lx) + "\" x2=\"" + svg::num(lx + 18) + "\" y1=\"" + svg::num(ly) +
                  "\" y2=\"" + svg::num(ly) + "\" stroke=\"" + colour + "\" stroke-width=\"" + (s.points ? "5" : "2") +
                  "\"" + (s.dashed ? " stroke-dasharray=\"6 4\"" : "") + "/><text x=\"" + svg::num(lx + 22) +
                  "\" y=\"" + svg::num(ly + 4) + "\">" + svg::escape(s.name) + "</text>\n";
    }
    if (!legend.empty()) out += "<g class=\"legend\">\n" + legend + "</g>\n";
    return out + "</svg>\n";
}

}  // namespace mlp::report
