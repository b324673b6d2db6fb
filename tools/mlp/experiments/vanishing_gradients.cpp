// Vanishing gradients: backpropagation multiplies the gradient by σ'(z)·Wᵀ at
// every layer. σ' of the sigmoid is at most 1/4, so ten sigmoid layers shrink
// it by about 4^-9 on its way to the first; ReLU's derivative is 1 where the
// unit is active and He initialization keeps the product near 1.
#include <cmath>
#include <cstdio>

#include "lessons.hpp"
#include "mlp/mlp.hpp"

namespace mlp::lessons {

Sequential deep_network(const std::string& activation, int depth, int width, std::int64_t inputs, std::uint64_t seed) {
    Sequential model(0, ModelOptions{.seed = seed});
    for (int i = 0; i < depth; ++i) model.add(Dense(width, activation));  // init follows the activation
    model.add(Dense(1, "sigmoid"));
    model.build(inputs);
    model.compile(SGD{.lr = 0.1}, Loss("binary_crossentropy"));
    return model;
}

double first_to_last_gradient_ratio(const std::string& activation, int depth, std::uint64_t seed) {
    const data::Dataset task = gaussian_task(256, 20, seed);
    Sequential model = deep_network(activation, depth, 64, 20, seed);
    const auto norms = kernel_gradient_norms(model, task.x.view(), task.y.view());
    return norms.front() / norms[static_cast<std::size_t>(depth - 1)];
}

report::HtmlPage vanishing_gradients_page(const ExperimentOptions& options) {
    const int depth = 10;
    const data::Dataset task = gaussian_task(options.quick ? 1024 : 8192, 20, options.seed);
    report::LineChart chart({.id = "gradient-norms-by-layer",
                             .title = "kernel gradient norm by layer (10 hidden layers of 64)",
                             .x_label = "layer (1 = first hidden, 11 = output)",
                             .y_label = "||dL/dW|| (log)",
                             .log_y = true,
                             .width = 720,
                             .height = 400});
    std::vector<std::vector<std::string>> rows;
    const char* activations[] = {"sigmoid", "tanh", "relu"};
    for (std::size_t a = 0; a < 3; ++a) {
        Sequential model = deep_network(activations[a], depth, 64, 20, options.seed);
        const TensorView batch_x = task.x.view().rows(0, 256), batch_y = task.y.view().rows(0, 256);
        const auto at_init = kernel_gradient_norms(model, batch_x, batch_y);
        model.fit(task.x.view(), task.y.view(), {.epochs = 1, .batch_size = 256, .verbose = 0, .seed = options.seed});
        const auto after = kernel_gradient_norms(model, batch_x, batch_y);
        const std::string colour = report::palette(a);
        chart.add({.name = std::string(activations[a]) + ", at init", .y = at_init, .colour = colour});
        chart.add({.name = "after 1 epoch", .y = after, .colour = colour, .dashed = true});
        char ratio[32], later[32];
        std::snprintf(ratio, sizeof ratio, "%.2g", at_init.front() / at_init[depth - 1]);
        std::snprintf(later, sizeof later, "%.2g", after.front() / after[depth - 1]);
        rows.push_back(
            {activations[a], activations[a] == std::string("relu") ? "He normal" : "Glorot uniform", ratio, later});
    }
    report::HtmlPage page("Vanishing gradients");
    page.paragraph(
        "Ten hidden layers of 64 units on a 2-class task with 20 normal inputs; the gradient of each layer's kernel on "
        "one batch of 256. Going back through a layer multiplies the gradient by the activation's derivative and the "
        "weights: the sigmoid's derivative is at most 1/4, so the first layer of the sigmoid network receives a "
        "gradient some six orders of magnitude smaller than the last and learns almost nothing. tanh (derivative up "
        "to 1) loses less; ReLU with He initialization keeps the gradient's size through every layer.");
    page.figure(chart.svg());
    page.table({"hidden activation", "initialization", "first / last hidden gradient, at init", "after one epoch"},
               rows);
    return page;
}

}  // namespace mlp::lessons
