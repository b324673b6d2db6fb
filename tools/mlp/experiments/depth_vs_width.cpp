// Depth against width at an equal parameter budget: on spirals, a few layers
// of moderate width fold the plane more often than one very wide layer can
// with the same number of weights.
#include <cmath>
#include <cstdio>

#include "lessons.hpp"
#include "mlp/mlp.hpp"

namespace mlp::lessons {

namespace {
/// Parameters of 2 -> depth × width (ReLU) -> 3.
std::int64_t parameters(int depth, std::int64_t width) {
    return (2 + 1) * width + (depth - 1) * (width + 1) * width + (width + 1) * 3;
}
/// The widest width whose network fits the budget.
std::int64_t width_for(int depth, std::int64_t budget) {
    std::int64_t width = 1;
    while (parameters(depth, width + 1) <= budget) ++width;
    return width;
}
}  // namespace

report::HtmlPage depth_vs_width_page(const ExperimentOptions& options) {
    const data::Dataset spirals = data::spirals(1500, 3, 0.2, options.seed);
    const int epochs = options.quick ? 15 : 150;
    const std::int64_t budget = 4500;
    report::LineChart loss({.id = "depth-width-loss",
                            .title = "training loss at about 4,500 parameters",
                            .x_label = "epoch",
                            .y_label = "loss (log)",
                            .log_y = true,
                            .width = 720,
                            .height = 400});
    std::vector<std::vector<std::string>> rows;
    for (const int depth : {1, 2, 4, 8}) {
        const std::int64_t width = width_for(depth, budget);
        Sequential model(0, ModelOptions{.seed = options.seed});
        for (int l = 0; l < depth; ++l) model.add(Dense(width, "relu"));
        model.add(Dense(3, "softmax"));
        model.build(2);
        model.compile(Adam{.lr = 3e-3}, Loss("sparse_categorical_crossentropy"), {"accuracy"});
        const History h = model.fit(
            spirals.x.view(), spirals.y.view(),
            {.epochs = epochs, .batch_size = 32, .validation_split = 0.2, .verbose = 0, .seed = options.seed});
        const std::string name = std::to_string(depth) + " x " + std::to_string(width);
        loss.add({.name = name, .y = h["loss"]});
        char train[16], val[16];
        std::snprintf(train, sizeof train, "%.3f", h["accuracy"].back());
        std::snprintf(val, sizeof val, "%.3f", h["val_accuracy"].back());
        rows.push_back(
            {std::to_string(depth), std::to_string(width), std::to_string(model.parameter_count()), train, val});
    }
    report::HtmlPage page("Depth against width");
    page.paragraph(
        "Networks with the same number of parameters (about 4,500) on 1,500 points of a 3-arm spiral, 20% held "
        "out: one hidden layer of many units against deeper stacks of narrower ones, ReLU, Adam (lr 0.003), batch "
        "32. Each ReLU layer folds the plane along lines; stacked layers compose folds, so depth buys "
        "more regions per parameter than width, up to where the narrow layers become a bottleneck.");
    page.figure(loss.svg());
    page.table({"hidden layers", "width", "parameters", "training accuracy", "validation accuracy"}, rows);
    return page;
}

}  // namespace mlp::lessons
