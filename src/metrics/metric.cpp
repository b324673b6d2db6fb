// Accuracy variants, MAE and MSE as running metrics. Updates allocate nothing.
#include "mlp/metrics/metric.hpp"

#include <cmath>

#include "mlp/core/error.hpp"

namespace mlp {

namespace {

std::int64_t argmax_row(const TensorView& x, std::int64_t r) {
    const std::int64_t cols = x.cols();
    std::int64_t best = 0;
    double best_value = x.item(r * cols);
    for (std::int64_t j = 1; j < cols; ++j)
        if (x.item(r * cols + j) > best_value) best_value = x.item(r * cols + (best = j));
    return best;
}

/// A metric that averages a per-batch sum over a count.
class RunningMean : public Metric {
public:
    explicit RunningMean(std::string name) : Metric(std::move(name)) {}
    void reset() override { sum_ = count_ = 0; }
    double result() const override { return count_ > 0 ? sum_ / count_ : 0.0; }

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

class CategoricalAccuracy : public RunningMean {
public:
    using RunningMean::RunningMean;
    void update(const TensorView& pred, const TensorView& target) override {
        for (std::int64_t r = 0; r < pred.rows(); ++r) sum_ += argmax_row(pred, r) == argmax_row(target, r) ? 1 : 0;
        count_ += static_cast<double>(pred.rows());
    }
};

class SparseCategoricalAccuracy : public RunningMean {
public:
    using RunningMean::RunningMean;
    void update(const TensorView& pred, const TensorView& target) override {
        for (std::int64_t r = 0; r < pred.rows(); ++r)
            sum_ += argmax_row(pred, r) == static_cast<std::int64_t>(target.item(r)) ? 1 : 0;
        count_ += static_cast<double>(pred.rows());
    }
};

class ErrorMean : public RunningMean {
public:
    ErrorMean(std::string name, bool squared) : RunningMean(std::move(name)), squared_(squared) {}
    void update(const TensorView& pred, const TensorView& target) override {
        for (std::int64_t i = 0; i < pred.numel(); ++i) {
            const double d = pred.item(i) - target.item(i);
            sum_ += squared_ ? d * d : std::abs(d);
        }
        count_ += static_cast<double>(pred.numel());
    }

private:
    bool squared_;
};

}  // namespace

std::unique_ptr<Metric> Metric::make(const std::string& name, const Loss& loss) {
    using K = Loss::Kind;
    // Logits of a binary classifier cross 0 where probabilities cross 1/2.
    const double threshold = loss.from_logits() ? 0.0 : 0.5;
    if (name == "accuracy" || name == "acc") {
        switch (loss.kind()) {
            case K::sparse_categorical_crossentropy: return std::make_unique<SparseCategoricalAccuracy>(name);
            case K::categorical_crossentropy: return std::make_unique<CategoricalAccuracy>(name);
            case K::binary_crossentropy: return std::make_unique<BinaryAccuracy>(name, threshold);
            default:
                throw ConfigError("metric 'accuracy' needs a classification loss, got '" + loss.name() +
                                  "'; name the accuracy (binary_accuracy, categorical_accuracy, "
                                  "sparse_categorical_accuracy) or use mae / mse");
        }
    }
    if (name == "binary_accuracy") return std::make_unique<BinaryAccuracy>(name, threshold);
    if (name == "categorical_accuracy") return std::make_unique<CategoricalAccuracy>(name);
    if (name == "sparse_categorical_accuracy") return std::make_unique<SparseCategoricalAccuracy>(name);
    if (name == "mae" || name == "mean_absolute_error") return std::make_unique<ErrorMean>(name, false);
    if (name == "mse" || name == "mean_squared_error") return std::make_unique<ErrorMean>(name, true);
    throw ConfigError("unknown metric '" + name +
                      "'; known: accuracy, binary_accuracy, categorical_accuracy, sparse_categorical_accuracy, mae, "
                      "mse");
}

}  // namespace mlp
