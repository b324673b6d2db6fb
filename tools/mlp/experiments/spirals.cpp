// Spirals: three interleaved arms that no straight line separates; two hidden
// ReLU layers bend the plane until each arm has its own region.
#include "lessons.hpp"
#include "mlp/mlp.hpp"

namespace mlp::lessons {

std::pair<Sequential, History> train_spirals(bool hidden, int epochs, std::uint64_t seed) {
    const data::Dataset spirals = data::spirals(1500, 3, 0.1, seed);
    Sequential model(2, ModelOptions{.seed = seed});
    if (hidden) model.add(Dense(64, "relu")).add(Dense(64, "relu"));
    model.add(Dense(3, "softmax"));
    model.compile(Adam{.lr = 1e-2}, Loss("sparse_categorical_crossentropy"), {"accuracy"});
    History history =
        model.fit(spirals.x.view(), spirals.y.view(),
                  {.epochs = epochs, .batch_size = 32, .validation_split = 0.2, .verbose = 0, .seed = seed});
    return {std::move(model), std::move(history)};
}

report::HtmlPage spirals_page(const ExperimentOptions& options) {
    const int epochs = options.quick ? 20 : 100;
    const data::Dataset spirals = data::spirals(1500, 3, 0.1, options.seed);
    const auto [model, history] = train_spirals(true, epochs, options.seed);
    const auto [linear, linear_history] = train_spirals(false, epochs, options.seed);
    char accuracies[200];
    std::snprintf(accuracies, sizeof accuracies,
                  "Validation accuracy after %d epochs: the linear classifier %.3f, the network %.3f.", epochs,
                  linear_history["val_accuracy"].back(), history["val_accuracy"].back());
    report::HtmlPage page("Spirals");
    page.paragraph(
        "1,500 points on three spiral arms, one class each. A linear classifier (softmax on the inputs) can only "
        "cut the plane into three wedges; two hidden layers of 64 ReLU units compose enough folds of the plane to "
        "give each arm its own winding region. Adam (lr 0.01), batch 32, 20% held out for validation.");
    page.paragraph(accuracies);
    page.figures({report::decision_boundary(model, spirals.x.view(), spirals.y.view(),
                                            {.title = "decision boundary, 2-64-64-3 ReLU"}),
                  report::decision_boundary(linear, spirals.x.view(), spirals.y.view(),
                                            {.id = "decision-boundary-linear", .title = "decision boundary, linear"})});
    page.figures(report::history_charts(history));
    return page;
}

}  // namespace mlp::lessons
