#include "mlp/report/training_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "mlp/core/error.hpp"
#include "mlp/losses/loss.hpp"
#include "mlp/metrics/classification.hpp"
#include "mlp/model/sequential.hpp"
#include "mlp/optim/optimizer.hpp"
#include "mlp/report/decision_boundary.hpp"
#include "mlp/report/heat_map.hpp"
#include "mlp/report/history_charts.hpp"
#include "mlp/report/image_grid.hpp"
#include "mlp/report/line_chart.hpp"
#include "mlp/report/monitor_charts.hpp"

namespace mlp::report {

namespace {

std::string fixed(double v, int decimals = 4) {
    char text[32];
    std::snprintf(text, sizeof text, "%.*f", decimals, v);
    return text;
}

std::string class_name(const data::Dataset& data, std::int64_t c) {
    const auto i = static_cast<std::size_t>(c);
    return i < data.class_names.size() ? data.class_names[i] : std::to_string(c);
}

void model_section(HtmlPage& page, const Sequential& model) {
    page.section("Model", "Each layer's output width and parameter count; the input is " +
                              std::to_string(model.inputs()) + " features.");
    std::vector<std::vector<std::string>> rows;
    std::int64_t total = 0;
    for (std::size_t i = 0; i < model.size(); ++i) {
        const Layer& layer = model.layer(i);
        // As Keras's summary counts them: trained parameters and fitted buffers
        // (a Normalization's mean and scale, BatchNormalization's moving statistics).
        std::int64_t weights = layer.parameter_count();
        for (const auto& [name, buffer] : layer.buffers()) weights += buffer.numel();
        total += weights;
        rows.push_back({layer.name(), layer.type(), "(None, " + std::to_string(layer.out_features()) + ")",
                        std::to_string(weights), layer.details()});
    }
    rows.push_back({"total", "", "", std::to_string(total), ""});
    page.table({"layer", "type", "output shape", "parameters", "activation, initializer"}, rows);
    if (model.compiled())
        page.paragraph("Optimizer " + model.optimizer().name() + ", loss " + model.loss().name() +
                       (model.fused_loss() ? " (fused with the output activation, computed from logits)" : "") + ".");
}

/// ROC curves of the test set: the positive class's for one output, one per
/// class against the rest otherwise (the first 10), each with its AUC.
std::string roc_chart(const data::Dataset& test, const Tensor& pred, std::int64_t classes) {
    LineChart chart({.id = "roc",
                     .title = "ROC curve (test set)",
                     .x_label = "false positive rate",
                     .y_label = "true positive rate",
                     .height = 400});
    const std::int64_t outputs = pred.cols(), n = test.size();
    const bool binary = outputs == 1;  // one sigmoid output scores class 1
    const std::int64_t first = binary ? 1 : 0, end = binary ? 2 : std::min<std::int64_t>(classes, 10);
    Tensor scores(Shape{n}, DType::f64), positive(Shape{n}, DType::f64);
    for (std::int64_t c = first; c < end; ++c) {
        for (std::int64_t i = 0; i < n; ++i) {
            scores.data<double>()[i] = pred.item(i * outputs + (binary ? 0 : c));
            positive.data<double>()[i] = target_class(test.y.view(), i, binary ? 1 : classes) == c;
        }
        try {
            const RocCurve curve = roc_curve(scores, positive);
            const std::string auc = fixed(roc_auc(scores, positive), 3);
            chart.add({.name = (binary ? "" : class_name(test, c) + " ") + "(AUC " + auc + ")",
                       .x = curve.false_positive_rate,
                       .y = curve.true_positive_rate});
        } catch (const DataError&) {
            // a class absent from the test set (or all of it) has no curve
        }
    }
    chart.add({.name = "chance", .x = {0, 1}, .y = {0, 1}, .colour = "#999999", .dashed = true});
    return chart.svg();
}

void classification_sections(HtmlPage& page, const Sequential& model, const data::Dataset& test, const Tensor& pred,
                             std::int64_t misclassified) {
    const double threshold = model.loss().from_logits() ? 0.0 : 0.5;
    const ConfusionMatrix matrix = confusion_matrix(pred.view(), test.y.view(), threshold);
    std::vector<std::string> names;
    for (std::int64_t c = 0; c < matrix.classes(); ++c) names.push_back(class_name(test, c));
    page.section("Confusion matrix",
                 "Rows are the true classes of the test set, columns what the model predicted; the diagonal is "
                 "right. Shading is the fraction of the row, so a pale diagonal cell is a class the model misses.");
    std::vector<std::vector<std::string>> rows;
    for (std::int64_t c = 0; c < matrix.classes(); ++c) {
        std::int64_t support = 0;
        for (std::int64_t p = 0; p < matrix.classes(); ++p) support += matrix.count(c, p);
        rows.push_back({names[static_cast<std::size_t>(c)], fixed(matrix.precision(c)), fixed(matrix.recall(c)),
                        fixed(matrix.f1(c)), std::to_string(support)});
    }
    rows.push_back({"macro average", fixed(matrix.macro_precision()), fixed(matrix.macro_recall()),
                    fixed(matrix.macro_f1()), std::to_string(matrix.total())});
    page.raw("<div class=\"figures\">\n<figure>\n" + confusion_heat_map(matrix, names) + "</figure>\n<div>\n");
    page.table({"class", "precision", "recall", "F1", "support"}, rows);
    page.raw("</div>\n</div>\n");
    page.section("ROC curve",
                 "The true positive rate against the false positive rate as the decision threshold falls from the "
                 "highest score to the lowest" +
                     std::string(pred.cols() == 1 ? "" : ", for each class against the rest") +
                     ". A curve in the top left corner separates the classes at some threshold; the dashed "
                     "diagonal is guessing. The area under it (AUC) is the chance that a random positive scores "
                     "above a random negative.")
        .figure(roc_chart(test, pred, matrix.classes()));

    if (test.image_shape.size() == 2 && misclassified > 0) {
        const std::int64_t target_classes = pred.view().cols() == 1 ? 1 : matrix.classes();  // 1: 0/1 targets
        std::vector<CaptionedImage> images;
        std::int64_t wrong = 0;
        const std::int64_t d = test.features();
        for (std::int64_t i = 0; i < test.size(); ++i) {
            const std::int64_t truth = target_class(test.y.view(), i, target_classes);
            const std::int64_t guess = predicted_class(pred.view(), i, threshold);
            if (truth == guess) continue;
            ++wrong;
            if (static_cast<std::int64_t>(images.size()) >= misclassified) continue;
            const float* row = test.x.data<float>() + i * d;
            images.push_back({.pixels = std::vector<float>(row, row + d),
                              .caption = "true: " + class_name(test, truth),
                              .detail = "predicted: " + class_name(test, guess)});
        }
        page.section("Misclassified test images", std::to_string(wrong) + " of " + std::to_string(test.size()) +
                                                      " test images are misclassified; the first " +
                                                      std::to_string(images.size()) +
                                                      " are shown with their true and predicted classes.");
        if (!images.empty())
            page.figure(image_grid(images, test.image_shape[0], test.image_shape[1],
                                   {.id = "misclassified", .title = "misclassified test images", .columns = 10}));
    }
    if (test.features() == 2)
        page.section("Decision boundary",
                     "The plane coloured by the class the model predicts, paler where it is less sure, with the "
                     "test points in their true class's colour.")
            .figure(decision_boundary(model, test.x.view(), test.y.view(), {.class_names = test.class_names}));
}

/// 1-D regression: the learned function over the test points.
void fit_section(HtmlPage& page, const Sequential& model, const data::Dataset& test) {
    std::vector<double> x(static_cast<std::size_t>(test.size())), y(x.size());
    for (std::size_t i = 0; i < x.size(); ++i) {
        x[i] = test.x.view().item(static_cast<std::int64_t>(i));
        y[i] = test.y.view().item(static_cast<std::int64_t>(i));
    }
    const auto [lo, hi] = std::minmax_element(x.begin(), x.end());
    const std::int64_t n = 400;
    Tensor grid(Shape{n, 1});
    std::vector<double> gx(static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n; ++i) {
        gx[static_cast<std::size_t>(i)] = *lo + (*hi - *lo) * static_cast<double>(i) / static_cast<double>(n - 1);
        grid.data<float>()[i] = static_cast<float>(gx[static_cast<std::size_t>(i)]);
    }
    const Tensor fitted = model.predict(grid.view());
    std::vector<double> gy(static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n; ++i) gy[static_cast<std::size_t>(i)] = fitted.view().item(i);
    LineChart chart({.id = "fit", .title = "fitted function", .x_label = "x", .y_label = "y"});
    chart.add({.name = "test data", .x = x, .y = y, .points = true});
    chart.add({.name = "model", .x = gx, .y = gy, .colour = "#e15759"});
    page.section("Fitted function", "The model's output over the range of the input, drawn over the test points.")
        .figure(chart.svg());
}

}  // namespace

HtmlPage training_report(const Sequential& model, const History& history, const TrainingReportOptions& options) {
    HtmlPage page(options.title);
    std::vector<std::vector<std::string>> facts;
    for (const auto& [name, value] : options.facts) facts.push_back({name, value});
    facts.push_back({"epochs trained", std::to_string(history.epochs())});
    if (const int best = best_epoch(history); best > 0)
        facts.push_back(
            {history.contains("val_loss") ? "best epoch (val_loss)" : "best epoch (loss)", std::to_string(best)});
    const data::Dataset* test = options.test;
    Tensor pred;
    if (test && test->size() > 0 && model.compiled()) {
        pred = model.predict(test->x.view());
        const Scores scores = model.evaluate(test->x.view(), test->y.view());
        for (const auto& [name, value] : scores.items()) facts.push_back({"test " + name, fixed(value)});
    }
    page.section("Run");
    page.table({"", ""}, facts);
    model_section(page, model);

    page.section("Learning curves",
                 "Loss and each metric per epoch on the training data and, when held out, the validation data; the "
                 "dashed grey line is the learning rate (right axis). A validation curve that turns up while the "
                 "training curve keeps falling is overfitting.");
    page.figures(history_charts(history));

    if (!pred.view().empty()) {
        if (test->classes > 0)
            classification_sections(page, model, *test, pred, options.misclassified);
        else if (test->features() == 1 && model.outputs() == 1)
            fit_section(page, model, *test);
    }
    if (options.monitor && options.monitor->epochs() > 0) {
        page.section("Gradients",
                     "The norm of each layer's gradient over the last batch of every epoch, on a log scale. Lines "
                     "decades apart mean gradients vanish (or explode) on their way back through the layers.");
        page.figure(gradient_norm_chart(*options.monitor));
        page.section("Activations",
                     "Statistics of each hidden layer's outputs on a fixed sample of training inputs. A dead unit "
                     "outputs zero (or less) for every sample, so no gradient reaches its weights: ReLU units die "
                     "when their bias is pushed far negative.");
        page.figures(activation_charts(*options.monitor));
    }
    if (!options.config.empty()) page.section("Config", "The exact config of the run.").code(options.config);
    return page;
}

}  // namespace mlp::report
