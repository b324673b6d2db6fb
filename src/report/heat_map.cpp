#include "mlp/report/heat_map.hpp"

#include <algorithm>
#include <cmath>

#include "mlp/core/error.hpp"
#include "svg.hpp"

namespace mlp::report {

std::string heat_map(const std::vector<std::vector<double>>& shade, const std::vector<std::vector<std::string>>& text,
                     const std::vector<std::string>& row_names, const std::vector<std::string>& column_names,
                     const HeatMapOptions& options) {
    const std::size_t rows = shade.size();
    const std::size_t cols = rows ? shade[0].size() : 0;
    if (row_names.size() != rows || column_names.size() != cols)
        throw ShapeError("heat_map: " + std::to_string(rows) + "x" + std::to_string(cols) + " cells but " +
                         std::to_string(row_names.size()) + " row and " + std::to_string(column_names.size()) +
                         " column names");
    for (std::size_t r = 0; r < rows; ++r)
        if (shade[r].size() != cols || (!text.empty() && (text.size() != rows || text[r].size() != cols)))
            throw ShapeError("heat_map: row " + std::to_string(r) + " of the cells or their text is not " +
                             std::to_string(cols) + " wide");

    // Column names run down at 45 degrees: room below for the longest.
    std::size_t longest = 1;
    for (const auto& name : column_names) longest = std::max(longest, name.size());
    const double longest_name = static_cast<double>(std::min<std::size_t>(longest, 24));
    const double cell = std::clamp(440.0 / static_cast<double>(std::max(rows, cols)), 14.0, 64.0);
    const double left = 110, top = 30;
    const double grid_w = cell * static_cast<double>(cols), grid_h = cell * static_cast<double>(rows);
    const svg::Frame frame{.left = left,
                           .top = top,
                           .width = static_cast<int>(std::max(left + grid_w + 20, 260.0)),
                           .height = static_cast<int>(top + grid_h + 30 + 5 * longest_name)};
    std::string out = svg::open(frame, options.id, options.title);
    const std::string font = svg::num(std::clamp(cell * 0.32, 7.0, 12.0));
    for (std::size_t r = 0; r < rows; ++r) {
        const double y = top + cell * static_cast<double>(r);
        out += "<text x=\"" + svg::num(left - 6) + "\" y=\"" + svg::num(y + cell / 2 + 4) + "\" text-anchor=\"end\">" +
               svg::escape(row_names[r]) + "</text>\n";
        for (std::size_t c = 0; c < cols; ++c) {
            const double x = left + cell * static_cast<double>(c);
            const double t = std::isfinite(shade[r][c]) ? std::clamp(shade[r][c], 0.0, 1.0) : 0.0;
            // White to a deep blue (#08306b), as matplotlib's "Blues".
            const int red = static_cast<int>(std::lround(247 - t * (247 - 8)));
            const int green = static_cast<int>(std::lround(251 - t * (251 - 48)));
            const int blue = static_cast<int>(std::lround(255 - t * (255 - 107)));
            const std::string label = text.empty() ? "" : text[r][c];
            out += "<rect class=\"cell\" x=\"" + svg::num(x) + "\" y=\"" + svg::num(y) + "\" width=\"" +
                   svg::num(cell) + "\" height=\"" + svg::num(cell) + "\" fill=\"rgb(" + std::to_string(red) + "," +
                   std::to_string(green) + "," + std::to_string(blue) + ")\"><title>" + svg::escape(row_names[r]) +
                   " / " + svg::escape(column_names[c]) + ": " + svg::escape(label) + "</title></rect>";
            if (!label.empty())
                out += "<text x=\"" + svg::num(x + cell / 2) + "\" y=\"" + svg::num(y + cell / 2 + 4) +
                       "\" text-anchor=\"middle\" font-size=\"" + font + "\" fill=\"" + (t > 0.55 ? "#fff" : "#222") +
                       "\">" + svg::escape(label) + "</text>";
            out += "\n";
        }
    }
    for (std::size_t c = 0; c < cols; ++c) {
        const double x = left + cell * (static_cast<double>(c) + 0.5);
        out += "<text transform=\"translate(" + svg::num(x + 4) + " " + svg::num(top + grid_h + 8) +
               ") rotate(-45)\" text-anchor=\"end\">" + svg::escape(column_names[c]) + "</text>\n";
    }
    out += "<text class=\"label\" x=\"" + svg::num(left + grid_w / 2) + "\" y=\"" + svg::num(frame.height - 6.0) +
           "\" text-anchor=\"middle\">" + svg::escape(options.column_label) + "</text>\n";
    out += "<text class=\"label\" transform=\"translate(14 " + svg::num(top + grid_h / 2) +
           ") rotate(-90)\" text-anchor=\"middle\">" + svg::escape(options.row_label) + "</text>\n";
    return out + "</svg>\n";
}

std::string confusion_heat_map(const ConfusionMatrix& matrix, const std::vector<std::string>& class_names,
                               const std::string& id) {
    const auto k = static_cast<std::size_t>(matrix.classes());
    std::vector<std::string> names = class_names;
    if (names.size() != k) {
        names.clear();
        for (std::size_t c = 0; c < k; ++c) names.push_back(std::to_string(c));
    }
    std::vector<std::vector<double>> shade(k, std::vector<double>(k));
    std::vector<std::vector<std::string>> text(k, std::vector<std::string>(k));
    for (std::size_t r = 0; r < k; ++r) {
        std::int64_t row_total = 0;
        for (std::size_t c = 0; c < k; ++c)
            row_total += matrix.count(static_cast<std::int64_t>(r), static_cast<std::int64_t>(c));
        for (std::size_t c = 0; c < k; ++c) {
            const std::int64_t n = matrix.count(static_cast<std::int64_t>(r), static_cast<std::int64_t>(c));
            shade[r][c] = row_total ? static_cast<double>(n) / static_cast<double>(row_total) : 0.0;
            text[r][c] = std::to_string(n);
        }
    }
    return heat_map(
        shade, text, names, names,
        {.id = id, .title = "confusion matrix", .row_label = "true class", .column_label = "predicted class"});
}

}  // namespace mlp::report
