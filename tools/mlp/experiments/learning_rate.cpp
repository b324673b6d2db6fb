// Learning rate and batch size: too small crawls, too large oscillates or
// diverges; full-batch, stochastic (batch 1) and mini-batch gradient descent
// trade the number of updates per epoch against the noise of each.
#include <chrono>
#include <cstdio>

#include "lessons.hpp"
#include "mlp/mlp.hpp"

namespace mlp::lessons {

namespace {
Sequential moons_net(std::uint64_t seed, double lr) {
    Sequential model(2, {Dense(32, "tanh"), Dense(32, "tanh"), Dense(1, "sigmoid")}, {.seed = seed});
    model.compile(SGD{.lr = lr}, Loss("binary_crossentropy"), {"accuracy"});
    return model;
}
}  // namespace

report::HtmlPage learning_rate_page(const ExperimentOptions& options) {
    const data::Dataset moons = data::moons(1000, 0.2, options.seed);
    const int epochs = options.quick ? 10 : 50;
    report::LineChart rates({.id = "learning-rates",
                             .title = "plain SGD, batch 32: three learning rates",
                             .x_label = "epoch",
                             .y_label = "training loss (log)",
                             .log_y = true});
    for (const double lr : {0.001, 0.1, 8.0}) {
        Sequential model = moons_net(options.seed, lr);
        const History h = model.fit(
            moons.x.view(), moons.y.view(),
            {.epochs = epochs, .batch_size = 32, .verbose = 0, .seed = options.seed, .callbacks = {TerminateOnNaN{}}});
        char name[32];
        std::snprintf(name, sizeof name, "lr %g", lr);
        rates.add({.name = name, .y = h["loss"]});
    }
    report::LineChart batches({.id = "batch-sizes",
                               .title = "same epochs, lr 0.05: batch size",
                               .x_label = "epoch",
                               .y_label = "training loss (log)",
                               .log_y = true});
    std::vector<std::vector<std::string>> rows;
    const std::int64_t n = moons.size();
    for (const std::int64_t batch : {n, std::int64_t{1}, std::int64_t{32}}) {
        Sequential model = moons_net(options.seed, 0.05);
        const auto start = std::chrono::steady_clock::now();
        const History h = model.fit(moons.x.view(), moons.y.view(),
                                    {.epochs = epochs, .batch_size = batch, .verbose = 0, .seed = options.seed});
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        const std::string name = batch == n ? "full batch" : batch == 1 ? "stochastic (1)" : "mini-batch (32)";
        batches.add({.name = name, .y = h["loss"]});
        char loss[16], time[16];
        std::snprintf(loss, sizeof loss, "%.4f", h["loss"].back());
        std::snprintf(time, sizeof time, "%.2f s", seconds);
        rows.push_back({name, std::to_string(epochs * ((n + batch - 1) / batch)), loss, time});
    }
    report::HtmlPage page("Learning rate and batch size");
    page.paragraph(
        "Plain SGD on 1,000 two-moons points, two hidden layers of 32 tanh units. Left: a learning rate of 0.001 "
        "barely moves in 50 epochs; 0.1 converges; 8 overshoots, the loss jumps and may diverge (training stops "
        "at a NaN). Right: at the same number of epochs, full-batch gradient descent makes one careful step per "
        "epoch, stochastic gradient descent one noisy step per sample, and mini-batches sit between: many steps, "
        "each cheap and fairly accurate, and the matrix products stay efficient.");
    page.figures({rates.svg(), batches.svg()});
    page.table({"gradient descent", "updates", "final training loss", "time"}, rows);
    return page;
}

}  // namespace mlp::lessons
