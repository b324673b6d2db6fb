// The running metrics. Updates allocate nothing once the epoch's first batch
// has run, except ROC AUC's, which keeps every score of the epoch.
#include "mlp/metrics/metric.hpp"

#include <cmath>
#include <optional>

#include "mlp/core/error.hpp"
#include "mlp/metrics/classification.hpp"

namespace mlp {

namespace {

std::int64_t output_classes(const TensorView& pred) { return pred.numel() == pred.rows() ? 1 : pred.cols(); }

void check_state(bool fits, const std::string& metric) {
    if (!fits) throw DataError("metric '" + metric + "': the saved running state does not fit it");
}

/// A metric that averages a per-batch sum over a count.
class RunningMean : public Metric {
public:
    explicit RunningMean(std::string name) : Metric(std::move(name)) {}
    void reset() override { sum_ = count_ = 0; }
    double result() const override { return count_ > 0 ? sum_ / count_ : 0.0; }
    std::vector<double> state() const override { return {sum_, count_}; }
    void restore(const std::vector<double>& state) override {
        check_state(state.size() == 2, name());
        sum_ = state[0];
        count_ = state[1];
    }
    void merge(const std::vector<double>& other) override {
        check_state(other.size() == 2, name());
        sum_ += other[0];
        count_ += other[1];
    }

protected:
    double sum_ = 0, count_ = 0;
};

class BinaryAccuracy : public RunningMean {
public:
    BinaryAccuracy(std::string name, double threshold) : RunningMean(std::move(name)), threshold_(threshold) {}
    void update(const TensorView& pred, const TensorView& target) override {
        for (std::int64_t i = 0; i < pred.numel(); ++i)
            sum_ += ((pred.item(i) > threshold_) == (target.item(i) > 0.5)) ? 1 : 0;
        count_ += static_cast<double>(pred.numel());
    }

private:
    double threshold_;
};

/// Categorical accuracy (top 1) and top-k: the true class is among the k
/// highest scores (fewer than k classes score strictly higher).
class TopKAccuracy : public RunningMean {
public:
    TopKAccuracy(std::string name, std::int64_t k) : RunningMean(std::move(name)), k_(k) {}
    void update(const TensorView& pred, const TensorView& target) override {
        const std::int64_t cols = pred.cols();
        for (std::int64_t r = 0; r < pred.rows(); ++r) {
            const std::int64_t truth = target_class(target, r, cols);
            const double score = pred.item(r * cols + truth);
            std::int64_t higher = 0;
            for (std::int64_t j = 0; j < cols; ++j) higher += pred.item(r * cols + j) > score;
            // Top 1 breaks ties as argmax does (the first index wins).
            const bool hit = k_ == 1 ? predicted_class(pred, r) == truth : higher < k_;
            sum_ += hit ? 1 : 0;
        }
        count_ += static_cast<double>(pred.rows());
    }

private:
    std::int64_t k_;
};

class ErrorMean : public RunningMean {
public:
    ErrorMean(std::string name, bool squared, bool root)
        : RunningMean(std::move(name)), squared_(squared), root_(root) {}
    void update(const TensorView& pred, const TensorView& target) override {
        for (std::int64_t i = 0; i < pred.numel(); ++i) {
            const double d = pred.item(i) - target.item(i);
            sum_ += squared_ ? d * d : std::abs(d);
        }
        count_ += static_cast<double>(pred.numel());
    }
    double result() const override { return root_ ? std::sqrt(RunningMean::result()) : RunningMean::result(); }

private:
    bool squared_, root_;
};

/// R² = 1 - SS_res / SS_tot per output, averaged over outputs (scikit-learn's
/// "uniform_average"); sums in double, SS_tot from Σy and Σy².
class R2 : public Metric {
public:
    explicit R2(std::string name) : Metric(std::move(name)) {}
    void reset() override {
        for (auto* v : {&sum_, &sum_sq_, &residual_}) std::fill(v->begin(), v->end(), 0.0);
        count_ = 0;
    }
    void update(const TensorView& pred, const TensorView& target) override {
        const std::int64_t cols = output_classes(pred);
        if (static_cast<std::int64_t>(sum_.size()) != cols)
            for (auto* v : {&sum_, &sum_sq_, &residual_}) v->assign(static_cast<std::size_t>(cols), 0.0);
        for (std::int64_t i = 0; i < pred.numel(); ++i) {
            const auto j = static_cast<std::size_t>(i % cols);
            const double y = target.item(i), d = y - pred.item(i);
            sum_[j] += y;
            sum_sq_[j] += y * y;
            residual_[j] += d * d;
        }
        count_ += static_cast<double>(pred.rows());
    }
    double result() const override {
        if (count_ == 0 || sum_.empty()) return 0.0;
        double total = 0;
        for (std::size_t j = 0; j < sum_.size(); ++j) {
            const double ss_tot = sum_sq_[j] - sum_[j] * sum_[j] / count_;
            total += ss_tot > 0 ? 1.0 - residual_[j] / ss_tot : (residual_[j] == 0 ? 1.0 : 0.0);
        }
        return total / static_cast<double>(sum_.size());
    }
    /// count, then Σy, Σy² and Σ(y - ŷ)² of each output.
    std::vector<double> state() const override {
        std::vector<double> s{count_};
        for (const auto* v : {&sum_, &sum_sq_, &residual_}) s.insert(s.end(), v->begin(), v->end());
        return s;
    }
    void restore(const std::vector<double>& state) override {
        check_state(!state.empty() && (state.size() - 1) % 3 == 0, name());
        count_ = state[0];
        const auto k = static_cast<std::ptrdiff_t>((state.size() - 1) / 3);
        sum_.assign(state.begin() + 1, state.begin() + 1 + k);
        sum_sq_.assign(state.begin() + 1 + k, state.begin() + 1 + 2 * k);
        residual_.assign(state.begin() + 1 + 2 * k, state.end());
    }
    void merge(const std::vector<double>& other) override {
        if (sum_.empty()) return restore(other);
        std::vector<double> mine = state();
        check_state(other.size() == mine.size() || other.size() == 1, name());  // 1: a share with no rows
        for (std::size_t i = 0; i < other.size(); ++i) mine[i] += other[i];
        restore(mine);
    }

private:
    std::vector<double> sum_, sum_sq_, residual_;
    double count_ = 0;
};

/// Precision, recall or F1 from a confusion matrix sized at the first batch.
class ConfusionMetric : public Metric {
public:
    enum class Measure { precision, recall, f1 };
    ConfusionMetric(std::string name, Measure measure, double threshold)
        : Metric(std::move(name)), measure_(measure), threshold_(threshold) {}
    void reset() override {
        if (matrix_) matrix_->reset();
    }
    void update(const TensorView& pred, const TensorView& target) override {
        const std::int64_t k = output_classes(pred);
        if (!matrix_ || matrix_->classes() != std::max<std::int64_t>(k, 2))
            matrix_.emplace(std::max<std::int64_t>(k, 2));
        binary_ = k == 1;
        matrix_->add(pred, target, threshold_);
    }
    double result() const override {
        if (!matrix_) return 0.0;
        const auto& m = *matrix_;
        switch (measure_) {
            case Measure::precision: return binary_ ? m.precision(1) : m.macro_precision();
            case Measure::recall: return binary_ ? m.recall(1) : m.macro_recall();
            case Measure::f1: return binary_ ? m.f1(1) : m.macro_f1();
        }
        return 0.0;
    }
    /// Empty before the first batch; else classes, binary, then the counts row by row.
    std::vector<double> state() const override {
        if (!matrix_) return {};
        std::vector<double> s{static_cast<double>(matrix_->classes()), binary_ ? 1.0 : 0.0};
        for (std::int64_t a = 0; a < matrix_->classes(); ++a)
            for (std::int64_t p = 0; p < matrix_->classes(); ++p)
                s.push_back(static_cast<double>(matrix_->count(a, p)));
        return s;
    }
    void restore(const std::vector<double>& state) override {
        if (state.empty()) {
            matrix_.reset();
            return;
        }
        const auto k = static_cast<std::int64_t>(state[0]);
        check_state(k >= 2 && static_cast<double>(k) == state[0] && state.size() == static_cast<std::size_t>(2 + k * k),
                    name());
        matrix_.emplace(k);
        binary_ = state[1] != 0;
        for (std::int64_t i = 0; i < k * k; ++i)
            matrix_->add_count(i / k, i % k, static_cast<std::int64_t>(state[static_cast<std::size_t>(2 + i)]));
    }
    void merge(const std::vector<double>& other) override {
        if (other.empty()) return;
        if (!matrix_) return restore(other);
        const std::int64_t k = matrix_->classes();
        check_state(other.size() == static_cast<std::size_t>(2 + k * k) && other[0] == static_cast<double>(k), name());
        for (std::int64_t i = 0; i < k * k; ++i)
            matrix_->add_count(i / k, i % k, static_cast<std::int64_t>(other[static_cast<std::size_t>(2 + i)]));
    }

private:
    Measure measure_;
    double threshold_;
    bool binary_ = true;
    std::optional<ConfusionMatrix> matrix_;
};

/// ROC AUC over the epoch: keeps every score and target, ranks them at the end.
class RocAuc : public Metric {
public:
    explicit RocAuc(std::string name) : Metric(std::move(name)) {}
    bool streaming() const override { return false; }
    void reset() override {
        scores_.clear();
        targets_.clear();
        rows_ = 0;
    }
    void update(const TensorView& pred, const TensorView& target) override {
        cols_ = output_classes(pred);
        for (std::int64_t i = 0; i < pred.numel(); ++i) scores_.push_back(pred.item(i));
        for (std::int64_t r = 0; r < pred.rows(); ++r)
            targets_.push_back(static_cast<double>(target_class(target, r, cols_)));
        rows_ += pred.rows();
    }
    double result() const override {
        if (rows_ == 0) return 0.0;
        const TensorView s(scores_.data(), Shape{rows_, cols_}, DType::f64);
        const TensorView t(targets_.data(), Shape{rows_}, DType::f64);
        return cols_ == 1 ? roc_auc(s, t) : roc_auc_ovr(s, t);
    }
    /// rows, columns, then every score and every target.
    std::vector<double> state() const override {
        std::vector<double> s{static_cast<double>(rows_), static_cast<double>(cols_)};
        s.insert(s.end(), scores_.begin(), scores_.end());
        s.insert(s.end(), targets_.begin(), targets_.end());
        return s;
    }
    void restore(const std::vector<double>& state) override {
        check_state(state.size() >= 2 && state[0] >= 0 && state[1] >= 1, name());
        const auto rows = static_cast<std::int64_t>(state[0]), cols = static_cast<std::int64_t>(state[1]);
        check_state(state.size() == static_cast<std::size_t>(2 + rows * cols + rows), name());
        rows_ = rows;
        cols_ = cols;
        scores_.assign(state.begin() + 2, state.begin() + 2 + rows * cols);
        targets_.assign(state.begin() + 2 + rows * cols, state.end());
    }
    void merge(const std::vector<double>& other) override {
        check_state(other.size() >= 2, name());
        const auto rows = static_cast<std::int64_t>(other[0]), cols = static_cast<std::int64_t>(other[1]);
        if (rows == 0) return;
        if (rows_ == 0) return restore(other);
        check_state(cols == cols_ && other.size() == static_cast<std::size_t>(2 + rows * cols + rows), name());
        scores_.insert(scores_.end(), other.begin() + 2, other.begin() + 2 + rows * cols);
        targets_.insert(targets_.end(), other.begin() + 2 + rows * cols, other.end());
        rows_ += rows;
    }

private:
    // mutable: result() wraps them in views, which only read them
    mutable std::vector<double> scores_, targets_;
    std::int64_t rows_ = 0, cols_ = 1;
};

}  // namespace

const char* Metric::known_names() {
    return "accuracy, binary_accuracy, categorical_accuracy, sparse_categorical_accuracy, top_k_accuracy[:k], "
           "precision, recall, f1, auc, mae, mse, rmse, r2";
}

std::unique_ptr<Metric> Metric::make(const std::string& name, const Loss& loss) {
    using K = Loss::Kind;
    // Logits of a binary classifier cross 0 where probabilities cross 1/2.
    const double threshold = loss.from_logits() ? 0.0 : 0.5;
    if (name == "accuracy" || name == "acc") {
        switch (loss.kind()) {
            case K::sparse_categorical_crossentropy:
            case K::categorical_crossentropy: return std::make_unique<TopKAccuracy>(name, 1);
            case K::binary_crossentropy: return std::make_unique<BinaryAccuracy>(name, threshold);
            default:
                throw ConfigError("metric 'accuracy' needs a classification loss, got '" + loss.name() +
                                  "'; name the accuracy (binary_accuracy, categorical_accuracy, "
                                  "sparse_categorical_accuracy) or use mae / mse / r2");
        }
    }
    if (name == "binary_accuracy") return std::make_unique<BinaryAccuracy>(name, threshold);
    if (name == "categorical_accuracy" || name == "sparse_categorical_accuracy")
        return std::make_unique<TopKAccuracy>(name, 1);
    if (name == "top_k_categorical_accuracy" || name == "sparse_top_k_categorical_accuracy" || name == "top_k_accuracy")
        return std::make_unique<TopKAccuracy>(name, 5);
    if (name.rfind("top_k_accuracy:", 0) == 0) {
        const std::string k = name.substr(15);
        if (k.empty() || k.find_first_not_of("0123456789") != std::string::npos || std::stoll(k) < 1)
            throw ConfigError("metric '" + name + "': k must be a positive integer");
        return std::make_unique<TopKAccuracy>(name, std::stoll(k));
    }
    if (name == "precision")
        return std::make_unique<ConfusionMetric>(name, ConfusionMetric::Measure::precision, threshold);
    if (name == "recall") return std::make_unique<ConfusionMetric>(name, ConfusionMetric::Measure::recall, threshold);
    if (name == "f1" || name == "f1_score")
        return std::make_unique<ConfusionMetric>(name, ConfusionMetric::Measure::f1, threshold);
    if (name == "auc" || name == "roc_auc") return std::make_unique<RocAuc>(name);
    if (name == "mae" || name == "mean_absolute_error") return std::make_unique<ErrorMean>(name, false, false);
    if (name == "mse" || name == "mean_squared_error") return std::make_unique<ErrorMean>(name, true, false);
    if (name == "rmse" || name == "root_mean_squared_error") return std::make_unique<ErrorMean>(name, true, true);
    if (name == "r2" || name == "r2_score") return std::make_unique<R2>(name);
    throw ConfigError("unknown metric '" + name + "'; known: " + known_names());
}

}  // namespace mlp
