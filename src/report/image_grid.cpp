#include "mlp/report/image_grid.hpp"

#include <algorithm>
#include <cmath>

#include "mlp/core/error.hpp"
#include "png.hpp"
#include "svg.hpp"

namespace mlp::report {

std::string image_grid(const std::vector<CaptionedImage>& images, std::int64_t height, std::int64_t width,
                       const ImageGridOptions& options) {
    const auto pixels = static_cast<std::size_t>(height * width);
    float lo = INFINITY, hi = -INFINITY;
    for (std::size_t i = 0; i < images.size(); ++i) {
        if (height <= 0 || width <= 0 || images[i].pixels.size() != pixels)
            throw ShapeError("image_grid: image " + std::to_string(i) + " has " +
                             std::to_string(images[i].pixels.size()) + " pixels, expected " + std::to_string(height) +
                             "x" + std::to_string(width));
        for (const float v : images[i].pixels)
            if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
    }
    const std::int64_t columns =
        std::max<std::int64_t>(1, std::min<std::int64_t>(options.columns, static_cast<std::int64_t>(images.size())));
    const std::int64_t rows = (static_cast<std::int64_t>(images.size()) + columns - 1) / columns;
    const double cell = options.cell, caption = 30, gap = 12;
    const double image_h = cell * static_cast<double>(height) / static_cast<double>(std::max(height, width));
    const double image_w = cell * static_cast<double>(width) / static_cast<double>(std::max(height, width));
    const svg::Frame frame{.left = 10,
                           .top = 30,
                           .width = static_cast<int>(10 + static_cast<double>(columns) * (cell + gap)),
                           .height = static_cast<int>(30 + static_cast<double>(rows) * (cell + caption + gap))};
    std::string out = svg::open(frame, options.id, options.title);
    const float range = hi > lo ? hi - lo : 1.0f;
    for (std::size_t i = 0; i < images.size(); ++i) {
        std::vector<std::uint8_t> grey(pixels);
        for (std::size_t p = 0; p < pixels; ++p) {
            const float v = images[i].pixels[p];
            grey[p] = std::isfinite(v) ? static_cast<std::uint8_t>(std::lround(255.0f * (v - lo) / range)) : 0;
        }
        const auto col = static_cast<double>(static_cast<std::int64_t>(i) % columns);
        const auto row = static_cast<double>(static_cast<std::int64_t>(i) / columns);
        const double x = 10 + col * (cell + gap), y = 30 + row * (cell + caption + gap);
        out += "<g class=\"image\"><image x=\"" + svg::num(x) + "\" y=\"" + svg::num(y) + "\" width=\"" +
               svg::num(image_w) + "\" height=\"" + svg::num(image_h) +
               "\" preserveAspectRatio=\"none\" style=\"image-rendering:pixelated\" href=\"" +
               png_data_uri(grey, static_cast<int>(width), static_cast<int>(height), 1) + "\"/>";
        out += "<text x=\"" + svg::num(x) + "\" y=\"" + svg::num(y + image_h + 12) + "\" font-size=\"10\">" +
               svg::escape(images[i].caption) + "</text><text x=\"" + svg::num(x) + "\" y=\"" +
               svg::num(y + image_h + 24) + "\" font-size=\"10\" class=\"wrong\">" + svg::escape(images[i].detail) +
               "</text></g>\n";
    }
    return out + "</svg>\n";
}

}  // namespace mlp::report
