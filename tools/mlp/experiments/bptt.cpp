// Backpropagation through time: the gradient that reaches step t of a tanh
// recurrence has crossed T - t copies of σ'(z)·W_hᵀ, so it shrinks
// geometrically when W_h is small (vanishing) and can grow when it is large
// (exploding): why plain RNNs struggle with long-range dependencies.
#include <cmath>
#include <cstdio>

#include "lessons.hpp"
#include "mlp/mlp.hpp"

namespace mlp::lessons {

std::vector<double> state_gradient_by_distance(double recurrent_gain, std::int64_t steps, std::uint64_t seed) {
    Sequential model(steps,
                     {SimpleRNN(32, {.recurrent_init = "orthogonal:" + std::to_string(recurrent_gain)}), Dense(1)},
                     {.seed = seed});
    model.compile("sgd", Loss("mse"));
    const data::Dataset task = gaussian_task(64, steps, seed);
    model.compute_gradients(task.x.view(), task.y.view());
    const auto& norms = dynamic_cast<const SimpleRNN&>(model.layer(0)).state_gradient_norms();
    return {norms.rbegin(), norms.rend()};  // distance 0 (the last step) first
}

report::HtmlPage bptt_page(const ExperimentOptions& options) {
    const std::int64_t steps = 50;
    report::LineChart chart({.id = "bptt-gradient",
                             .title = "||dL/dh_t|| against the distance T - t, tanh SimpleRNN of 32 units",
                             .x_label = "steps back from the output (T - t)",
                             .y_label = "gradient norm (log)",
                             .log_y = true,
                             .width = 720,
                             .height = 400});
    std::vector<std::vector<std::string>> rows;
    for (const double gain : {0.5, 1.0, 1.5, 3.0}) {
        const auto norms = state_gradient_by_distance(gain, steps, options.seed);
        std::vector<double> distance(norms.size());
        for (std::size_t i = 0; i < distance.size(); ++i) distance[i] = static_cast<double>(i);
        char name[40], ratio10[24], ratio49[24];
        std::snprintf(name, sizeof name, "W_h orthogonal x %g", gain);
        chart.add({.name = name, .x = distance, .y = norms});
        std::snprintf(ratio10, sizeof ratio10, "%.2g", norms[10] / norms[0]);
        std::snprintf(ratio49, sizeof ratio49, "%.2g", norms[49] / norms[0]);
        rows.push_back({name, ratio10, ratio49});
    }
    // A sequence task: the next value of a noisy sine from a window of 20, full against truncated BPTT.
    const std::int64_t window = 20;
    const data::Dataset task = data::sine_windows(options.quick ? 400 : 2000, window, 0.1, options.seed);
    report::LineChart training({.id = "bptt-training",
                                .title = "next value of a noisy sine: validation MSE",
                                .x_label = "epoch",
                                .y_label = "MSE (log)",
                                .log_y = true});
    for (const int truncate : {0, 5, 1}) {
        Sequential model(window, {SimpleRNN(16, {.truncate = truncate}), Dense(1)}, {.seed = options.seed});
        model.compile(Adam{.lr = 1e-2, .global_clipnorm = 1.0}, Loss("mse"));
        const History h = model.fit(task.x.view(), task.y.view(),
                                    {.epochs = options.quick ? 5 : 30,
                                     .batch_size = 32,
                                     .validation_split = 0.2,
                                     .verbose = 0,
                                     .seed = options.seed});
        training.add({.name = truncate == 0 ? "full BPTT" : "truncated to " + std::to_string(truncate) + " steps",
                      .y = h["val_loss"]});
    }
    report::HtmlPage page("Backpropagation through time");
    page.paragraph(
        "A SimpleRNN h_t = tanh(x_t W_x + h_{t-1} W_h + b) over 50 steps, only h_T scored. Going back one step "
        "multiplies the gradient by diag(tanh'(z_t)) W_hᵀ: with an orthogonal W_h scaled by 0.5 it halves (or "
        "less) every step and is gone after a few dozen; at 1.0 tanh's derivative (< 1) still makes it fade; "
        "larger recurrent weights keep it alive longer, until saturation or explosion. Gradient clipping by global "
        "norm (.global_clipnorm) tames the explosions; gated cells (LSTM, GRU) address the vanishing.");
    page.figure(chart.svg());
    page.table({"recurrent weights", "gradient 10 steps back / at T", "50 steps back / at T"}, rows);
    page.paragraph(
        "Below, the same layer trained to predict the next value of a noisy sine from 20 samples: full BPTT, "
        "truncated BPTT (the gradient crosses no boundary between chunks of k steps), and k = 1, where each step "
        "learns only from its own input.");
    page.figure(training.svg());
    return page;
}

}  // namespace mlp::lessons
