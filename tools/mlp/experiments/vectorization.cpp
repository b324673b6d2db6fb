// Vectorization: a forward pass one sample at a time does the same arithmetic
// as one matrix product over the batch, but the batched form reads each weight
// once per batch instead of once per sample and lets BLAS use the vector units.
#include <chrono>
#include <cmath>
#include <cstdio>

#include "lessons.hpp"
#include "mlp/mlp.hpp"

namespace mlp::lessons {

namespace {
double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}
}  // namespace

report::HtmlPage vectorization_page(const ExperimentOptions& options) {
    const std::int64_t n = options.quick ? 2048 : 16384;
    const data::Dataset task = gaussian_task(n, 784, options.seed);
    const Sequential model(784, {Dense(256, "relu"), Dense(128, "relu"), Dense(10, "softmax")}, {.seed = options.seed});
    // One sample at a time: the textbook loop over x_i.
    auto start = std::chrono::steady_clock::now();
    Tensor one_by_one(Shape{n, 10});
    for (std::int64_t i = 0; i < n; ++i) {
        const Tensor y = model.predict(task.x.view().rows(i, 1));
        for (std::int64_t j = 0; j < 10; ++j) one_by_one.data<float>()[i * 10 + j] = y.data<float>()[j];
    }
    const double loop = seconds_since(start);
    start = std::chrono::steady_clock::now();
    const Tensor batched = model.predict(task.x.view(), n);
    const double matrix = seconds_since(start);
    double largest_difference = 0;
    for (std::int64_t i = 0; i < n * 10; ++i)
        largest_difference = std::max(largest_difference, std::abs(batched.view().item(i) - one_by_one.view().item(i)));

    report::LineChart chart({.id = "throughput-by-batch",
                             .title = "inference throughput against batch size, 784-256-128-10",
                             .x_label = "log2(batch size)",
                             .y_label = "samples/s (log)",
                             .log_y = true});
    std::vector<double> sizes, rates;
    for (std::int64_t batch = 1; batch <= 1024; batch *= 4) {
        start = std::chrono::steady_clock::now();
        model.predict(task.x.view(), batch);
        sizes.push_back(std::log2(static_cast<double>(batch)));
        rates.push_back(static_cast<double>(n) / seconds_since(start));
    }
    chart.add({.name = "samples/s", .x = sizes, .y = rates});
    char summary[320];
    std::snprintf(summary, sizeof summary,
                  "%lld samples: one at a time %.3f s (%.0f samples/s), as one matrix product %.3f s (%.0f "
                  "samples/s): %.1fx faster. Largest difference between the two outputs: %.2g.",
                  static_cast<long long>(n), loop, static_cast<double>(n) / loop, matrix,
                  static_cast<double>(n) / matrix, loop / matrix, largest_difference);
    report::HtmlPage page("Vectorization");
    page.paragraph(
        "The forward pass of a 784-256-128-10 network, first one sample at a time (x_i W for each row i), then "
        "for the whole batch as one product X W. The arithmetic is the same; the batched form reads every weight "
        "once per batch instead of once per sample, keeps them in cache, and lets the BLAS kernels fill the "
        "CPU's vector units.");
    page.paragraph(summary);
    page.figure(chart.svg());
    return page;
}

}  // namespace mlp::lessons
