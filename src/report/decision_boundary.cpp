#include "mlp/report/decision_boundary.hpp"

#include <algorithm>
#include <cmath>

#include "mlp/core/error.hpp"
#include "mlp/losses/loss.hpp"
#include "mlp/metrics/classification.hpp"
#include "mlp/model/sequential.hpp"
#include "png.hpp"
#include "svg.hpp"

namespace mlp::report {

namespace {

/// How sure a prediction row is, 0 (a toss-up) to 1.
double confidence(const TensorView& pred, std::int64_t row, double threshold) {
    const std::int64_t k = pred.cols();
    if (k == 1) {
        const double p = pred.item(row);
        return std::clamp(threshold == 0.5 ? std::abs(p - 0.5) * 2 : std::tanh(std::abs(p)), 0.0, 1.0);
    }
    double best = -INFINITY, sum = 0;
    for (std::int64_t c = 0; c < k; ++c) {
        best = std::max(best, pred.item(row * k + c));
        sum += pred.item(row * k + c);
    }
    if (std::abs(sum - 1) > 1e-3) return 1;  // not probabilities: no shading by certainty
    const double chance = 1.0 / static_cast<double>(k);
    return std::clamp((best - chance) / (1 - chance), 0.0, 1.0);
}

}  // namespace

std::string decision_boundary(const Sequential& model, const TensorView& x, const TensorView& y,
                              const DecisionBoundaryOptions& options) {
    if (model.inputs() != 2)
        throw ShapeError("decision_boundary: needs a model with 2 inputs; this one takes " +
                         std::to_string(model.inputs()));
    const double threshold = model.compiled() && model.loss().from_logits() ? 0.0 : 0.5;
    return decision_boundary([&](const TensorView& points) { return model.predict(points); }, threshold, x, y, options);
}

std::string decision_boundary(const Predictor& predict, double threshold, const TensorView& x, const TensorView& y,
                              const DecisionBoundaryOptions& options) {
    if (x.shape().rank() != 2 || x.cols() != 2)
        throw ShapeError("decision_boundary: x must be (N, 2), got " + x.shape().str());

    std::vector<double> xs, ys;
    for (std::int64_t i = 0; i < x.rows(); ++i) {
        xs.push_back(x.item(2 * i));
        ys.push_back(x.item(2 * i + 1));
    }
    auto [x_lo, x_hi] = svg::finite_range({&xs}, false);
    auto [y_lo, y_hi] = svg::finite_range({&ys}, false);
    const double x_pad = 0.08 * std::max(x_hi - x_lo, 1e-6), y_pad = 0.08 * std::max(y_hi - y_lo, 1e-6);
    const svg::Frame frame{.top = 30, .right = 150, .width = options.size + 60 + 150, .height = options.size + 75};
    const svg::Scale sx(x_lo - x_pad, x_hi + x_pad, frame.x0(), frame.x1());
    const svg::Scale sy(y_lo - y_pad, y_hi + y_pad, frame.y0(), frame.y1());

    // The model on a resolution × resolution grid over the scales' whole domain.
    const int n = std::max(2, options.resolution);
    Tensor grid(Shape{static_cast<std::int64_t>(n) * n, 2});
    float* g = grid.data<float>();
    for (int r = 0; r < n; ++r)  // image row 0 is the top: the largest y
        for (int c = 0; c < n; ++c) {
            g[2 * (r * n + c)] = static_cast<float>(sx.lo() + (sx.hi() - sx.lo()) * (c + 0.5) / n);
            g[2 * (r * n + c) + 1] = static_cast<float>(sy.hi() - (sy.hi() - sy.lo()) * (r + 0.5) / n);
        }
    const Tensor pred = predict(grid.view());
    const std::int64_t outputs = pred.view().cols();
    const std::int64_t classes = std::max<std::int64_t>(2, outputs);
    std::vector<std::uint8_t> pixels(static_cast<std::size_t>(n) * n * 3);
    for (std::int64_t i = 0; i < static_cast<std::int64_t>(n) * n; ++i) {
        const auto cls = static_cast<std::size_t>(predicted_class(pred.view(), i, threshold));
        int r, gr, b;
        svg::rgb(svg::colour(cls), r, gr, b);
        const double alpha = 0.12 + 0.43 * confidence(pred.view(), i, threshold);
        auto blend = [&](int channel) { return static_cast<std::uint8_t>(std::lround(255 - alpha * (255 - channel))); };
        pixels[3 * static_cast<std::size_t>(i)] = blend(r);
        pixels[3 * static_cast<std::size_t>(i) + 1] = blend(gr);
        pixels[3 * static_cast<std::size_t>(i) + 2] = blend(b);
    }

    std::string out = svg::open(frame, options.id, options.title);
    out += "<image class=\"boundary\" x=\"" + svg::num(frame.x0()) + "\" y=\"" + svg::num(frame.y1()) + "\" width=\"" +
           svg::num(frame.x1() - frame.x0()) + "\" height=\"" + svg::num(frame.y0() - frame.y1()) +
           "\" preserveAspectRatio=\"none\" href=\"" + png_data_uri(pixels, n, n, 3) + "\"/>\n";
    out += svg::x_axis(frame, sx, "x1");
    out += svg::y_axis(frame, sy, "x2");

    // The points: their true class's colour, ringed in black where the model is wrong.
    const std::int64_t shown = std::min(x.rows(), options.max_points);
    const Tensor point_pred = predict(x.rows(0, shown));
    const std::int64_t target_classes = y.cols() > 1 ? y.cols() : (outputs == 1 ? 1 : classes);
    out += "<g class=\"points\">";
    for (std::int64_t i = 0; i < shown; ++i) {
        const std::int64_t truth = target_class(y, i, target_classes);
        const bool wrong = predicted_class(point_pred.view(), i, threshold) != truth;
        out += "<circle cx=\"" + svg::num(sx(xs[static_cast<std::size_t>(i)]), 4) + "\" cy=\"" +
               svg::num(sy(ys[static_cast<std::size_t>(i)]), 4) + "\" r=\"3\" fill=\"" +
               svg::colour(static_cast<std::size_t>(truth)) + "\" stroke=\"" + (wrong ? "#000" : "#fff") +
               "\" stroke-width=\"" + (wrong ? "1.5" : "0.6") + "\"/>";
    }
    out += "</g>\n<g class=\"legend\">";
    for (std::int64_t c = 0; c < classes; ++c) {
        const auto idx = static_cast<std::size_t>(c);
        const std::string name =
            idx < options.class_names.size() ? options.class_names[idx] : "class " + std::to_string(c);
        const double ly = frame.y1() + 10 + 18.0 * static_cast<double>(c);
        out += "<circle cx=\"" + svg::num(frame.x1() + 20) + "\" cy=\"" + svg::num(ly) + "\" r=\"5\" fill=\"" +
               svg::colour(idx) + "\"/><text x=\"" + svg::num(frame.x1() + 30) + "\" y=\"" + svg::num(ly + 4) + "\">" +
               svg::escape(name) + "</text>";
    }
    const double note_y = frame.y1() + 24 + 18.0 * static_cast<double>(classes);
    out += "<text x=\"" + svg::num(frame.x1() + 14) + "\" y=\"" + svg::num(note_y) +
           "\" font-size=\"10\">ringed black: misclassified</text></g>\n";
    return out + "</svg>\n";
}

}  // namespace mlp::report
