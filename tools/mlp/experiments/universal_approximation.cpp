// Universal approximation: one hidden layer of enough units fits any
// continuous function on an interval (Cybenko 1989; Hornik 1991). Each tanh
// unit adds one smooth step; more units, more steps, a closer fit.
#include <cmath>
#include <cstdio>

#include "lessons.hpp"
#include "mlp/mlp.hpp"

namespace mlp::lessons {

namespace {
constexpr std::int64_t points = 256;

data::Dataset target_samples() {
    data::Dataset d{.x = Tensor(Shape{points, 1}), .y = Tensor(Shape{points, 1})};
    for (std::int64_t i = 0; i < points; ++i) {
        const double x = -2.0 + 4.0 * static_cast<double>(i) / (points - 1);
        d.x.data<float>()[i] = static_cast<float>(x);
        d.y.data<float>()[i] = static_cast<float>(approximation_target(x));
    }
    return d;
}

Sequential fitted(int width, int epochs, std::uint64_t seed, const data::Dataset& d) {
    Sequential model(1, {Dense(width, "tanh"), Dense(1)}, {.seed = seed});
    model.compile(Adam{.lr = 0.01}, Loss("mse"));
    model.fit(d.x.view(), d.y.view(), {.epochs = epochs, .batch_size = points, .verbose = 0, .seed = seed});
    return model;
}
}  // namespace

double approximation_target(double x) { return std::sin(3 * x) + 0.5 * x; }

double approximation_error(int width, int epochs, std::uint64_t seed) {
    const data::Dataset d = target_samples();
    return fitted(width, epochs, seed, d).evaluate(d.x.view(), d.y.view())["loss"];
}

report::HtmlPage universal_approximation_page(const ExperimentOptions& options) {
    const data::Dataset d = target_samples();
    const int epochs = options.quick ? 1000 : 5000;
    std::vector<double> x(points), y(points);
    for (std::int64_t i = 0; i < points; ++i) {
        x[static_cast<std::size_t>(i)] = d.x.view().item(i);
        y[static_cast<std::size_t>(i)] = d.y.view().item(i);
    }
    report::LineChart chart({.id = "approximations",
                             .title = "one hidden tanh layer of k units fitting sin(3x) + x/2",
                             .x_label = "x",
                             .y_label = "y",
                             .width = 720,
                             .height = 420});
    chart.add({.name = "target", .x = x, .y = y, .colour = "#222222", .dashed = true});
    report::LineChart errors({.id = "approximation-error",
                              .title = "mean squared error against the number of hidden units",
                              .x_label = "hidden units",
                              .y_label = "MSE (log)",
                              .log_y = true});
    std::vector<double> widths, mses;
    std::vector<std::vector<std::string>> rows;
    for (int k = 1; k <= 64; k *= 2) {
        const Sequential model = fitted(k, epochs, options.seed, d);
        const Tensor pred = model.predict(d.x.view());
        std::vector<double> fit(points);
        for (std::int64_t i = 0; i < points; ++i) fit[static_cast<std::size_t>(i)] = pred.view().item(i);
        chart.add({.name = "k = " + std::to_string(k), .x = x, .y = fit});
        const double mse = model.evaluate(d.x.view(), d.y.view())["loss"];
        widths.push_back(k);
        mses.push_back(mse);
        char text[32];
        std::snprintf(text, sizeof text, "%.3g", mse);
        rows.push_back({std::to_string(k), std::to_string(3 * k + 1), text});
    }
    errors.add({.name = "MSE", .x = widths, .y = mses});
    report::HtmlPage page("Universal approximation");
    page.paragraph(
        "One hidden layer of k tanh units, then a linear output: f(x) = Σ v_j tanh(w_j x + b_j) + c. Each unit "
        "contributes one smooth step whose place, steepness and height training chooses. One unit can only draw "
        "one step; a few follow the big turns; with enough units the sum follows the curve as closely as one "
        "likes. Full-batch Adam (lr 0.01), " +
        std::to_string(epochs) + " epochs, 256 points.");
    page.figure(chart.svg());
    page.figure(errors.svg());
    page.table({"hidden units", "parameters", "mean squared error"}, rows);
    return page;
}

}  // namespace mlp::lessons
