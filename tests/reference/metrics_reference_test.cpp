// ROC AUC, the confusion matrix, precision, recall and F1 against
// scikit-learn, on predictions full of ties (make_sklearn_metrics.py).
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "mlp/core/error.hpp"
#include "mlp/losses/loss.hpp"
#include "mlp/metrics/classification.hpp"
#include "mlp/metrics/metric.hpp"

namespace mlp {

namespace {

nlohmann::json load() {
    std::ifstream in(MLP_REFERENCE_DIR "/sklearn_metrics.json");
    return nlohmann::json::parse(in);
}

Tensor column(const nlohmann::json& values) {
    const auto v = values.get<std::vector<double>>();
    return Tensor::from(Shape{static_cast<std::int64_t>(v.size())}, v);
}

Tensor matrix(const nlohmann::json& rows) {
    std::vector<double> flat;
    for (const auto& row : rows)
        for (double v : row.get<std::vector<double>>()) flat.push_back(v);
    const auto n = static_cast<std::int64_t>(rows.size());
    return Tensor::from(Shape{n, static_cast<std::int64_t>(flat.size()) / n}, flat);
}

void expect_confusion(const ConfusionMatrix& ours, const nlohmann::json& theirs) {
    for (std::size_t a = 0; a < theirs.size(); ++a)
        for (std::size_t p = 0; p < theirs[a].size(); ++p)
            EXPECT_EQ(ours.count(static_cast<std::int64_t>(a), static_cast<std::int64_t>(p)),
                      theirs[a][p].get<std::int64_t>())
                << "true " << a << ", predicted " << p;
}

}  // namespace

TEST(SklearnMetrics, BinaryRocAucWithTies) {
    const auto f = load()["binary"];
    const Tensor scores = column(f["scores"]), labels = column(f["labels"]);
    EXPECT_NEAR(roc_auc(scores, labels), f["roc_auc"].get<double>(), 1e-9);
    // and the same through the epoch metric, fed in uneven batches
    auto metric = Metric::make("auc", Loss("binary_crossentropy"));
    metric->reset();
    metric->update(scores.rows(0, 77).reshaped(Shape{77, 1}), labels.rows(0, 77));
    metric->update(scores.rows(77, 123).reshaped(Shape{123, 1}), labels.rows(77, 123));
    EXPECT_NEAR(metric->result(), f["roc_auc"].get<double>(), 1e-9);
}

TEST(SklearnMetrics, BinaryRocCurveWithTies) {
    const auto f = load()["binary"];
    const Tensor scores = column(f["scores"]), labels = column(f["labels"]);
    const RocCurve curve = roc_curve(scores, labels);
    const auto fpr = f["roc_curve"][0].get<std::vector<double>>(), tpr = f["roc_curve"][1].get<std::vector<double>>();
    ASSERT_EQ(curve.false_positive_rate.size(), fpr.size());
    for (std::size_t i = 0; i < fpr.size(); ++i) {
        EXPECT_NEAR(curve.false_positive_rate[i], fpr[i], 1e-12) << i;
        EXPECT_NEAR(curve.true_positive_rate[i], tpr[i], 1e-12) << i;
    }
    double area = 0;  // the trapezoids under the curve are the AUC
    for (std::size_t i = 1; i < fpr.size(); ++i)
        area += (curve.false_positive_rate[i] - curve.false_positive_rate[i - 1]) *
                (curve.true_positive_rate[i] + curve.true_positive_rate[i - 1]) / 2;
    EXPECT_NEAR(area, f["roc_auc"].get<double>(), 1e-12);
    EXPECT_TRUE(std::isinf(curve.thresholds.front()));
    EXPECT_THROW(roc_curve(scores, Tensor(Shape{scores.numel()})), DataError);
}

TEST(SklearnMetrics, BinaryPrecisionRecallF1AndConfusionAreExact) {
    const auto f = load()["binary"];
    const Tensor scores = column(f["scores"]), labels = column(f["labels"]);
    const ConfusionMatrix m = confusion_matrix(scores.view().reshaped(Shape{scores.numel(), 1}), labels);
    expect_confusion(m, f["confusion"]);
    EXPECT_EQ(m.precision(1), f["precision"].get<double>());
    EXPECT_EQ(m.recall(1), f["recall"].get<double>());
    EXPECT_DOUBLE_EQ(m.f1(1), f["f1"].get<double>());
    for (const char* name : {"precision", "recall", "f1"}) {
        auto metric = Metric::make(name, Loss("binary_crossentropy"));
        metric->reset();
        metric->update(scores.view().reshaped(Shape{scores.numel(), 1}), labels);
        EXPECT_DOUBLE_EQ(metric->result(), f[name].get<double>()) << name;
    }
}

TEST(SklearnMetrics, MulticlassRocAucOneVsRest) {
    const auto f = load()["multiclass"];
    const Tensor classes = column(f["classes"]);
    EXPECT_NEAR(roc_auc_ovr(matrix(f["probs_normalized"]), classes), f["roc_auc_ovr"].get<double>(), 1e-9);
    const Tensor probs = matrix(f["probs"]);
    for (std::int64_t c = 0; c < probs.cols(); ++c) {
        Tensor scores(Shape{probs.rows()}, DType::f64), positive(Shape{probs.rows()}, DType::f64);
        for (std::int64_t r = 0; r < probs.rows(); ++r) {
            scores.data<double>()[r] = probs.item(r * probs.cols() + c);
            positive.data<double>()[r] = classes.item(r) == static_cast<double>(c);
        }
        EXPECT_NEAR(roc_auc(scores, positive), f["roc_auc_per_class"][static_cast<std::size_t>(c)].get<double>(), 1e-9)
            << "class " << c;
    }
}

TEST(SklearnMetrics, MulticlassConfusionAndPerClassScoresAreExact) {
    const auto f = load()["multiclass"];
    const Tensor probs = matrix(f["probs"]), classes = column(f["classes"]);
    const ConfusionMatrix m = confusion_matrix(probs, classes);
    expect_confusion(m, f["confusion"]);
    for (std::int64_t c = 0; c < m.classes(); ++c) {
        const auto i = static_cast<std::size_t>(c);
        EXPECT_DOUBLE_EQ(m.precision(c), f["precision"][i].get<double>()) << "class " << c;
        EXPECT_DOUBLE_EQ(m.recall(c), f["recall"][i].get<double>()) << "class " << c;
        EXPECT_DOUBLE_EQ(m.f1(c), f["f1"][i].get<double>()) << "class " << c;
    }
    EXPECT_DOUBLE_EQ(m.macro_precision(), f["precision_macro"].get<double>());
    EXPECT_DOUBLE_EQ(m.macro_recall(), f["recall_macro"].get<double>());
    EXPECT_DOUBLE_EQ(m.macro_f1(), f["f1_macro"].get<double>());
    for (const char* name : {"precision", "recall", "f1"}) {
        auto metric = Metric::make(name, Loss("sparse_categorical_crossentropy"));
        metric->reset();
        metric->update(probs.rows(0, 100), classes.rows(0, 100));
        metric->update(probs.rows(100, 200), classes.rows(100, 200));
        EXPECT_DOUBLE_EQ(metric->result(), f[std::string(name) + "_macro"].get<double>()) << name;
    }
}

}  // namespace mlp
