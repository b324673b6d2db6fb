// Classification measures over whole sets, as scikit-learn computes them:
// the confusion matrix with per-class precision, recall and F1, and ROC AUC.
//
// Predictions are what a model outputs: (N, k) class scores (probabilities or
// logits), or (N, 1) / (N) for a binary classifier, compared with `threshold`.
// Targets are class ids (N), one-hot rows (N, k), or 0/1 values for binary.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "mlp/core/tensor.hpp"

namespace mlp {

class ConfusionMatrix {
public:
    explicit ConfusionMatrix(std::int64_t classes);
    /// Counts a batch. threshold applies to binary predictions (0.5 for
    /// probabilities, 0 for logits).
    void add(const TensorView& pred, const TensorView& target, double threshold = 0.5);
    void reset();

    std::int64_t classes() const { return classes_; }
    /// Samples of true class `actual` predicted as `predicted`.
    std::int64_t count(std::int64_t actual, std::int64_t predicted) const;
    /// Adds n to that count (restoring a saved matrix).
    void add_count(std::int64_t actual, std::int64_t predicted, std::int64_t n);
    std::int64_t total() const;
    double accuracy() const;
    /// Per class; 0 where undefined (no predictions or no samples), as scikit-learn's zero_division=0.
    double precision(std::int64_t c) const;
    double recall(std::int64_t c) const;
    double f1(std::int64_t c) const;
    /// Unweighted means over the classes (scikit-learn's average="macro").
    double macro_precision() const;
    double macro_recall() const;
    double macro_f1() const;
    /// The matrix (rows: true class, columns: predicted) and a per-class table;
    /// classes named by `class_names` where given, else by id.
    std::string str(const std::vector<std::string>& class_names = {}) const;

private:
    std::int64_t classes_;
    std::vector<std::int64_t> counts_;  // classes × classes, row = true class
};

/// The confusion matrix of a whole set.
ConfusionMatrix confusion_matrix(const TensorView& pred, const TensorView& target, double threshold = 0.5);

/// Area under the ROC curve for binary labels (0/1) and scores, ties counted
/// half (the trapezoidal AUC). Throws DataError when only one class is present.
double roc_auc(const TensorView& scores, const TensorView& labels);
/// The ROC curve: false and true positive rates as the threshold falls through
/// each distinct score, from (0, 0) to (1, 1), as scikit-learn's roc_curve with
/// drop_intermediate=False; its trapezoidal area is roc_auc. Throws DataError
/// when only one class is present.
struct RocCurve {
    std::vector<double> false_positive_rate, true_positive_rate;
    std::vector<double> thresholds;  ///< the score at each point; +inf at (0, 0)
};
RocCurve roc_curve(const TensorView& scores, const TensorView& labels);
/// One-vs-rest ROC AUC averaged over classes (scikit-learn's multi_class="ovr",
/// average="macro"); pred (N, k), targets as above.
double roc_auc_ovr(const TensorView& pred, const TensorView& target);

/// The class of each row of `target` given k classes (k = 1: binary 0/1).
std::int64_t target_class(const TensorView& target, std::int64_t row, std::int64_t classes);
/// The class `pred` row predicts: argmax, or score > threshold when k = 1.
std::int64_t predicted_class(const TensorView& pred, std::int64_t row, double threshold = 0.5);

}  // namespace mlp
