// Metric: a running measure over the batches of an epoch (reset, update per
// batch, result). "accuracy" picks binary, categorical or sparse categorical
// accuracy from the loss, as Keras does.
#pragma once

#include <memory>
#include <string>

#include "mlp/core/tensor.hpp"
#include "mlp/losses/loss.hpp"

namespace mlp {

class Metric {
public:
    virtual ~Metric() = default;
    /// The name History and evaluate() use: what the user asked for.
    const std::string& name() const { return name_; }
    virtual void reset() = 0;
    /// Adds a batch: predictions (B, O) as the model outputs them, targets as for the loss.
    virtual void update(const TensorView& pred, const TensorView& target) = 0;
    virtual double result() const = 0;

    /// "accuracy" (or "acc"), "binary_accuracy", "categorical_accuracy",
    /// "sparse_categorical_accuracy", "mae", "mse".
    static std::unique_ptr<Metric> make(const std::string& name, const Loss& loss);

protected:
    explicit Metric(std::string name) : name_(std::move(name)) {}

private:
    std::string name_;
};

}  // namespace mlp
