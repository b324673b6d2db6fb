// Spirals: three interleaved arms that no straight line separates; two hidden
// ReLU layers bend the plane until each arm has its own region.
#include "lessons.hpp"
#include "mlp/mlp.hpp"

namespace mlp::lessons {

report::HtmlPage spirals_page(const ExperimentOptions& options) {
    const data::Dataset spirals = data::spirals(1500, 3, 0.1, options.seed);
    Sequential model(2, {Dense(64, "relu"), Dense(64, "relu"), Dense(3, "softmax")}, {.seed = options.seed});
    model.compile(Adam{.lr = 1e-2}, Loss("sparse_categorical_crossentropy"), {"accuracy"});
    const History history = model.fit(spirals.x.view(), spirals.y.view(),
                                      {.epochs = options.quick ? 20 : 100,
                                       .batch_size = 32,
                                       .validation_split = 0.2,
                                       .verbose = 0,
                                       .seed = options.seed});
    report::HtmlPage page("Spirals");
    page.paragraph(
        "1,500 points on three spiral arms, one class each. A linear classifier can only cut the plane into three "
        "wedges; two hidden layers of 64 ReLU units compose enough folds of the plane to give each arm its own "
        "winding region. Adam (lr 0.01), batch 32, 20% held out for validation.");
    page.figure(report::decision_boundary(model, spirals.x.view(), spirals.y.view(),
                                          {.title = "decision boundary, 2-64-64-3 ReLU"}));
    page.figures(report::history_charts(history));
    return page;
}

}  // namespace mlp::lessons
