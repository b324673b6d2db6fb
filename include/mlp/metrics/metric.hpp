// Metric: a running measure over the batches of an epoch (reset, update per
// batch, result). "accuracy" picks binary, categorical or sparse categorical
// accuracy from the loss, as Keras does. Classification metrics read class
// ids, one-hot rows or 0/1 targets, whichever the loss uses.
#pragma once

#include <memory>
#include <string>
#include <vector>

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
    /// Whether result() is cheap enough to show after every batch (ROC AUC,
    /// which sorts the whole epoch's scores, is shown at the epoch's end only).
    virtual bool streaming() const { return true; }
    /// What update() has gathered since reset(), as numbers, and back:
    /// checkpoints keep an interrupted epoch's, so that the resumed epoch
    /// reports what an uninterrupted one would. restore() throws DataError
    /// for numbers that state() could not have given.
    virtual std::vector<double> state() const = 0;
    virtual void restore(const std::vector<double>& state) = 0;
    /// Adds the state() of the same metric over other rows (another process's
    /// share of the batches), as if update() had seen those rows too.
    virtual void merge(const std::vector<double>& other) = 0;

    /// By name:
    ///   accuracy (acc), binary_accuracy, categorical_accuracy, sparse_categorical_accuracy,
    ///   top_k_accuracy (k = 5; "top_k_accuracy:3" for another k; Keras's
    ///   top_k_categorical_accuracy and sparse_top_k_categorical_accuracy too),
    ///   precision, recall, f1 (of the positive class for one output, macro over
    ///   classes otherwise), auc (roc_auc: binary, or one-vs-rest macro),
    ///   mae, mse, rmse, r2.
    static std::unique_ptr<Metric> make(const std::string& name, const Loss& loss);
    /// The names make() knows, for messages and --help.
    static const char* known_names();

protected:
    explicit Metric(std::string name) : name_(std::move(name)) {}

private:
    std::string name_;
};

}  // namespace mlp
