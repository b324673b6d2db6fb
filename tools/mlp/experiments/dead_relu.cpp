// Dead ReLUs: a unit whose pre-activation is negative for every input outputs
// 0 and gets no gradient, so it never recovers. Large learning rates and
// negative biases kill units; leaky ReLU keeps a small slope, so its units can come back.
#include <cstdio>
#include <memory>

#include "lessons.hpp"
#include "mlp/mlp.hpp"

namespace mlp::lessons {

namespace {
struct Setting {
    const char* name;
    const char* activation;
    double lr;
    const char* bias_init;
};

/// The mean dead fraction over the hidden layers, per epoch.
std::vector<double> dead_fractions(const Setting& s, const data::Dataset& d, int epochs, std::uint64_t seed) {
    const DenseOptions o{.bias_init = s.bias_init};
    Sequential model(
        2, {Dense(64, s.activation, o), Dense(64, s.activation, o), Dense(64, s.activation, o), Dense(3, "softmax")},
        {.seed = seed});
    model.compile(SGD{.lr = s.lr, .momentum = 0.9}, Loss("sparse_categorical_crossentropy"));
    auto monitor = std::make_shared<TrainingMonitor>(d.x.view().rows(0, 512));
    model.fit(
        d.x.view(), d.y.view(),
        {.epochs = epochs, .batch_size = 32, .verbose = 0, .seed = seed, .callbacks = {monitor, TerminateOnNaN{}}});
    std::vector<double> mean(static_cast<std::size_t>(monitor->epochs()), 0.0);
    for (std::size_t l = 0; l < 3; ++l)
        for (std::size_t e = 0; e < mean.size(); ++e) mean[e] += monitor->layers()[l].dead_fraction[e] / 3;
    return mean;
}
}  // namespace

report::HtmlPage dead_relu_page(const ExperimentOptions& options) {
    const data::Dataset spirals = data::spirals(1500, 3, 0.2, options.seed);
    const int epochs = options.quick ? 8 : 40;
    const Setting settings[] = {{"ReLU, lr 0.01", "relu", 0.01, "zeros"},
                                {"ReLU, lr 0.3 (too high)", "relu", 0.3, "zeros"},
                                {"ReLU, biases start at -1", "relu", 0.01, "constant:-1"},
                                {"leaky ReLU, lr 0.3", "leaky_relu", 0.3, "zeros"},
                                {"leaky ReLU, biases -1", "leaky_relu", 0.01, "constant:-1"}};
    report::LineChart chart({.id = "dead-units",
                             .title = "dead units (output <= 0 for all of 512 inputs), mean over 3 hidden layers",
                             .x_label = "epoch",
                             .y_label = "fraction dead",
                             .width = 720,
                             .height = 400});
    std::vector<std::vector<std::string>> rows;
    for (const auto& s : settings) {
        const auto dead = dead_fractions(s, spirals, epochs, options.seed);
        chart.add({.name = s.name, .y = dead});
        char first[16], last[16];
        std::snprintf(first, sizeof first, "%.2f", dead.empty() ? 0.0 : dead.front());
        std::snprintf(last, sizeof last, "%.2f", dead.empty() ? 0.0 : dead.back());
        rows.push_back({s.name, first, last});
    }
    report::HtmlPage page("Dead ReLUs");
    page.paragraph(
        "Three hidden layers of 64 units on 3-arm spirals, SGD with momentum 0.9, batch 32. A ReLU unit is dead when "
        "its input is negative for every sample: it outputs 0, its gradient is 0, and no update can bring it back. "
        "A learning rate that is too high throws weights and biases far negative in a few steps; biases that start "
        "at -1 begin with many units dead. Leaky ReLU has the same kind of units below zero (counted here the "
        "same way), but its slope of 0.01 there still passes a gradient: with the high learning rate its fraction "
        "moves up and down instead of locking at nearly 1, though from biases of -1 it climbs back only slowly.");
    page.figure(chart.svg());
    page.table({"setting", "dead after epoch 1", "dead at the end"}, rows);
    return page;
}

}  // namespace mlp::lessons
