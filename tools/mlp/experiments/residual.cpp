// Depth and skip connections: a plain stack of 30 ReLU layers barely trains
// (the gradient reaching the first layers is a product of 30 Jacobians), while
// the same 30 layers in residual blocks train easily, because each block's
// shortcut passes the gradient back unchanged.
#include <cmath>
#include <cstdio>

#include "lessons.hpp"
#include "mlp/mlp.hpp"

namespace mlp::lessons {

namespace {

constexpr int blocks = 15;

Sequential deep_spiral_net(bool residual, std::uint64_t seed) {
    Sequential model(0, ModelOptions{.seed = seed});
    if (residual) {
        // Each block adds a fraction of its input's size: the last layer starts scaled by 1/sqrt(blocks).
        for (int b = 0; b < blocks; ++b)
            model.add(Residual({Dense(64, "relu"), Dense(64)}, {.init_scale = 1 / std::sqrt(double(blocks))}));
    } else {
        for (int l = 0; l < 2 * blocks; ++l) model.add(Dense(64, "relu"));
    }
    model.add(Dense(3, "softmax"));
    model.build(2);
    model.compile(SGD{.lr = 0.01, .momentum = 0.9}, Loss("sparse_categorical_crossentropy"), {"accuracy"});
    return model;
}

}  // namespace

DepthRun train_deep(bool residual, int epochs, std::uint64_t seed) {
    const data::Dataset spirals = data::spirals(1500, 3, 0.2, seed);
    Sequential model = deep_spiral_net(residual, seed);
    DepthRun run;
    // The gradient of the epoch's last batch, read before the next epoch zeroes it.
    const LambdaCallback record{.on_epoch_end = [&](TrainingState&) {
        run.first_gradient_norm.push_back(kernel_gradient_norms(model).front());
    }};
    const History h = model.fit(
        spirals.x.view(), spirals.y.view(),
        {.epochs = epochs, .batch_size = 32, .verbose = 0, .seed = seed, .callbacks = {record, TerminateOnNaN{}}});
    run.loss = h["loss"];
    run.diverged = !std::isfinite(run.loss.back());
    run.final_loss = run.diverged ? INFINITY : model.evaluate(spirals.x.view(), spirals.y.view())["loss"];
    return run;
}

report::HtmlPage residual_page(const ExperimentOptions& options) {
    const int epochs = options.quick ? 10 : 50;
    const DepthRun plain = train_deep(false, epochs, options.seed);
    const DepthRun residual = train_deep(true, epochs, options.seed);
    report::LineChart loss({.id = "depth-loss",
                            .title = "training loss, 30 ReLU layers of 64 on 3-arm spirals",
                            .x_label = "epoch",
                            .y_label = "loss (log)",
                            .log_y = true});
    loss.add({.name = "plain", .y = plain.loss});
    loss.add({.name = "residual (15 blocks of 2)", .y = residual.loss});
    report::LineChart grad({.id = "depth-first-gradient",
                            .title = "first layer's kernel gradient norm",
                            .x_label = "epoch",
                            .y_label = "||dL/dW1|| (log)",
                            .log_y = true});
    grad.add({.name = "plain", .y = plain.first_gradient_norm});
    grad.add({.name = "residual", .y = residual.first_gradient_norm});
    char summary[160];
    std::snprintf(summary, sizeof summary, "Training loss on the whole set after training: plain %s, residual %.3g.",
                  plain.diverged ? "diverged (NaN)" : std::to_string(plain.final_loss).c_str(), residual.final_loss);
    report::HtmlPage page("Depth and residual connections");
    page.paragraph(
        "Thirty Dense layers of 64 ReLU units (He initialization), SGD with momentum 0.9 and learning rate 0.01, "
        "batch 32, on 1,500 points of a 3-arm spiral (angle noise 0.2). The plain stack's first layers receive a "
        "gradient that has "
        "passed through thirty layers and is too small or too erratic to make progress, so the loss stalls. The "
        "residual network has the same thirty layers in fifteen blocks y = x + F(x); the shortcut hands each block's "
        "output gradient straight to its input, so every layer learns from the start. Each block's second layer "
        "starts scaled down by 1/sqrt(15): at full scale the fifteen additions would grow the activations "
        "about 2x per block and the training diverges.");
    page.figures({loss.svg(), grad.svg()});
    page.paragraph(summary);
    return page;
}

}  // namespace mlp::lessons
