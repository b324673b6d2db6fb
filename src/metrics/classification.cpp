// Confusion matrix, precision / recall / F1 and ROC AUC. AUC is the
// Mann-Whitney statistic with tied scores given their average rank, which
// equals the area under the trapezoidal ROC curve scikit-learn integrates.
#include "mlp/metrics/classification.hpp"

#include <algorithm>
#include <limits>
#include <cstdio>
#include <numeric>

#include "mlp/core/error.hpp"

namespace mlp {

std::int64_t target_class(const TensorView& target, std::int64_t row, std::int64_t classes) {
    if (classes == 1) return target.item(row) > 0.5 ? 1 : 0;
    if (target.numel() == target.rows()) return static_cast<std::int64_t>(target.item(row));
    const std::int64_t cols = target.cols();
    std::int64_t best = 0;
    for (std::int64_t j = 1; j < cols; ++j)
        if (target.item(row * cols + j) > target.item(row * cols + best)) best = j;
    return best;
}

std::int64_t predicted_class(const TensorView& pred, std::int64_t row, double threshold) {
    const std::int64_t cols = pred.numel() == pred.rows() ? 1 : pred.cols();
    if (cols == 1) return pred.item(row) > threshold ? 1 : 0;
    std::int64_t best = 0;
    for (std::int64_t j = 1; j < cols; ++j)
        if (pred.item(row * cols + j) > pred.item(row * cols + best)) best = j;
    return best;
}

ConfusionMatrix::ConfusionMatrix(std::int64_t classes) : classes_(classes) {
    if (classes < 2) throw ConfigError("ConfusionMatrix: needs at least 2 classes, got " + std::to_string(classes));
    counts_.assign(static_cast<std::size_t>(classes * classes), 0);
}

void ConfusionMatrix::add(const TensorView& pred, const TensorView& target, double threshold) {
    const std::int64_t k = pred.numel() == pred.rows() ? 1 : pred.cols();
    if (target.rows() != pred.rows())
        throw ShapeError("confusion matrix: " + std::to_string(pred.rows()) + " predictions but " +
                         std::to_string(target.rows()) + " targets");
    for (std::int64_t r = 0; r < pred.rows(); ++r) {
        const std::int64_t actual = target_class(target, r, k), predicted = predicted_class(pred, r, threshold);
        if (actual < 0 || actual >= classes_)
            throw DataError("confusion matrix: target " + std::to_string(r) + " is class " + std::to_string(actual) +
                            ", outside [0, " + std::to_string(classes_) + ")");
        ++counts_[static_cast<std::size_t>(actual * classes_ + predicted)];
    }
}

void ConfusionMatrix::reset() { std::fill(counts_.begin(), counts_.end(), 0); }

std::int64_t ConfusionMatrix::count(std::int64_t actual, std::int64_t predicted) const {
    return counts_.at(static_cast<std::size_t>(actual * classes_ + predicted));
}

void ConfusionMatrix::add_count(std::int64_t actual, std::int64_t predicted, std::int64_t n) {
    if (actual < 0 || actual >= classes_ || predicted < 0 || predicted >= classes_)
        throw DataError("confusion matrix: class " + std::to_string(actual) + " or " + std::to_string(predicted) +
                        " is outside 0.." + std::to_string(classes_ - 1));
    counts_[static_cast<std::size_t>(actual * classes_ + predicted)] += n;
}

std::int64_t ConfusionMatrix::total() const { return std::accumulate(counts_.begin(), counts_.end(), std::int64_t{0}); }

double ConfusionMatrix::accuracy() const {
    std::int64_t right = 0;
    for (std::int64_t c = 0; c < classes_; ++c) right += count(c, c);
    return total() > 0 ? static_cast<double>(right) / static_cast<double>(total()) : 0.0;
}

double ConfusionMatrix::precision(std::int64_t c) const {
    std::int64_t predicted = 0;
    for (std::int64_t a = 0; a < classes_; ++a) predicted += count(a, c);
    return predicted > 0 ? static_cast<double>(count(c, c)) / static_cast<double>(predicted) : 0.0;
}

double ConfusionMatrix::recall(std::int64_t c) const {
    std::int64_t actual = 0;
    for (std::int64_t p = 0; p < classes_; ++p) actual += count(c, p);
    return actual > 0 ? static_cast<double>(count(c, c)) / static_cast<double>(actual) : 0.0;
}

double ConfusionMatrix::f1(std::int64_t c) const {
    // 2TP / (2TP + FP + FN): scikit-learn's form, defined even where P or R is 0/0.
    std::int64_t predicted = 0, actual = 0;
    for (std::int64_t i = 0; i < classes_; ++i) {
        predicted += count(i, c);
        actual += count(c, i);
    }
    const double denominator = static_cast<double>(predicted + actual);
    return denominator > 0 ? 2.0 * static_cast<double>(count(c, c)) / denominator : 0.0;
}

double ConfusionMatrix::macro_precision() const {
    double s = 0;
    for (std::int64_t c = 0; c < classes_; ++c) s += precision(c);
    return s / static_cast<double>(classes_);
}

double ConfusionMatrix::macro_recall() const {
    double s = 0;
    for (std::int64_t c = 0; c < classes_; ++c) s += recall(c);
    return s / static_cast<double>(classes_);
}

double ConfusionMatrix::macro_f1() const {
    double s = 0;
    for (std::int64_t c = 0; c < classes_; ++c) s += f1(c);
    return s / static_cast<double>(classes_);
}

std::string ConfusionMatrix::str(const std::vector<std::string>& class_names) const {
    auto name = [&](std::int64_t c) {
        return c < static_cast<std::int64_t>(class_names.size()) ? class_names[static_cast<std::size_t>(c)]
                                                                 : std::to_string(c);
    };
    std::size_t longest = 0;
    for (std::int64_t c = 0; c < classes_; ++c) longest = std::max(longest, name(c).size());
    const int cell_width = static_cast<int>(std::max<std::size_t>(8, longest + 2));
    const int label_width = static_cast<int>(std::max<std::size_t>(16, longest));
    char cell[512];
    std::snprintf(cell, sizeof cell, "%-*s", label_width, "true \\ predicted");
    std::string s = cell;
    for (std::int64_t p = 0; p < classes_; ++p) {
        std::snprintf(cell, sizeof cell, "%*s", cell_width, name(p).substr(0, 255).c_str());
        s += cell;
    }
    s += "\n";
    for (std::int64_t a = 0; a < classes_; ++a) {
        std::snprintf(cell, sizeof cell, "%*s", label_width, name(a).substr(0, 255).c_str());
        s += cell;
        for (std::int64_t p = 0; p < classes_; ++p) {
            std::snprintf(cell, sizeof cell, "%*lld", cell_width, static_cast<long long>(count(a, p)));
            s += cell;
        }
        s += "\n";
    }
    const int class_width = static_cast<int>(std::max<std::size_t>(5, longest));
    std::snprintf(cell, sizeof cell, "\n%-*s   precision   recall      f1\n", class_width, "class");
    s += cell;
    for (std::int64_t c = 0; c < classes_; ++c) {
        std::snprintf(cell, sizeof cell, "%*s   %9.4f   %6.4f  %6.4f\n", class_width, name(c).substr(0, 255).c_str(),
                      precision(c), recall(c), f1(c));
        s += cell;
    }
    std::snprintf(cell, sizeof cell, "%-*s   %9.4f   %6.4f  %6.4f\n", class_width, "macro", macro_precision(),
                  macro_recall(), macro_f1());
    return s + cell;
}

ConfusionMatrix confusion_matrix(const TensorView& pred, const TensorView& target, double threshold) {
    const std::int64_t k = pred.numel() == pred.rows() ? 1 : pred.cols();
    ConfusionMatrix m(std::max<std::int64_t>(k, 2));
    m.add(pred, target, threshold);
    return m;
}

namespace {
/// AUC of `scores` for `positive` flags: (Σ ranks of positives - P(P+1)/2) / (P N).
double rank_auc(const std::vector<double>& scores, const std::vector<char>& positive) {
    const std::size_t n = scores.size();
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return scores[a] < scores[b]; });
    double positive_rank_sum = 0;
    double positives = 0;
    for (std::size_t i = 0; i < n;) {
        std::size_t j = i;
        while (j < n && scores[order[j]] == scores[order[i]]) ++j;
        const double average_rank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2.0;  // ranks i+1..j
        for (std::size_t t = i; t < j; ++t)
            if (positive[order[t]]) {
                positive_rank_sum += average_rank;
                positives += 1;
            }
        i = j;
    }
    const double negatives = static_cast<double>(n) - positives;
    if (positives == 0 || negatives == 0)
        throw DataError("roc_auc: only one class is present in the labels; AUC is undefined");
    return (positive_rank_sum - positives * (positives + 1) / 2.0) / (positives * negatives);
}
}  // namespace

double roc_auc(const TensorView& scores, const TensorView& labels) {
    if (scores.numel() != labels.numel())
        throw ShapeError("roc_auc: " + std::to_string(scores.numel()) + " scores but " +
                         std::to_string(labels.numel()) + " labels");
    std::vector<double> s(static_cast<std::size_t>(scores.numel()));
    std::vector<char> p(s.size());
    for (std::int64_t i = 0; i < scores.numel(); ++i) {
        s[static_cast<std::size_t>(i)] = scores.item(i);
        p[static_cast<std::size_t>(i)] = labels.item(i) > 0.5;
    }
    return rank_auc(s, p);
}

RocCurve roc_curve(const TensorView& scores, const TensorView& labels) {
    if (scores.numel() != labels.numel())
        throw ShapeError("roc_curve: " + std::to_string(scores.numel()) + " scores but " +
                         std::to_string(labels.numel()) + " labels");
    std::vector<std::pair<double, bool>> points;  // (score, positive), highest score first
    double positives = 0;
    for (std::int64_t i = 0; i < scores.numel(); ++i) {
        points.emplace_back(scores.item(i), labels.item(i) > 0.5);
        positives += points.back().second;
    }
    const double negatives = static_cast<double>(points.size()) - positives;
    if (positives == 0 || negatives == 0)
        throw DataError("roc_curve: only one class is present in the labels; the curve is undefined");
    std::sort(points.begin(), points.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    RocCurve curve{{0.0}, {0.0}, {std::numeric_limits<double>::infinity()}};
    double tp = 0, fp = 0;
    for (std::size_t i = 0; i < points.size(); ++i) {
        (points[i].second ? tp : fp) += 1;
        // One point per distinct score: tied scores cross the threshold together.
        if (i + 1 < points.size() && points[i + 1].first == points[i].first) continue;
        curve.false_positive_rate.push_back(fp / negatives);
        curve.true_positive_rate.push_back(tp / positives);
        curve.thresholds.push_back(points[i].first);
    }
    return curve;
}

double roc_auc_ovr(const TensorView& pred, const TensorView& target) {
    const std::int64_t k = pred.cols(), n = pred.rows();
    if (target.rows() != n)
        throw ShapeError("roc_auc: " + std::to_string(n) + " predictions but " + std::to_string(target.rows()) +
                         " targets");
    std::vector<std::int64_t> classes(static_cast<std::size_t>(n));
    for (std::int64_t r = 0; r < n; ++r) classes[static_cast<std::size_t>(r)] = target_class(target, r, k);
    std::vector<double> s(static_cast<std::size_t>(n));
    std::vector<char> p(s.size());
    double sum = 0;
    for (std::int64_t c = 0; c < k; ++c) {
        for (std::int64_t r = 0; r < n; ++r) {
            s[static_cast<std::size_t>(r)] = pred.item(r * k + c);
            p[static_cast<std::size_t>(r)] = classes[static_cast<std::size_t>(r)] == c;
        }
        sum += rank_auc(s, p);
    }
    return sum / static_cast<double>(k);
}

}  // namespace mlp
