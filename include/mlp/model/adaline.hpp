// Adaline (Widrow and Hoff 1960): one linear unit z = x·w + b trained on the
// mean squared error by full-batch gradient descent,
//   w -= lr · (2/N) Xᵀ(z - y),  b -= lr · (2/N) Σ(z - y),
// and thresholded only to predict. Unlike the perceptron it minimizes a
// smooth cost, so it converges (for a small enough lr) even when the classes
// overlap, to the least-squares line.
//
//   mlp::Adaline a(2, {.lr = 0.05, .epochs = 100});
//   auto cost = a.fit(x, y);       // MSE per epoch
//   a.predict(x);                  // (N, 1): 1 where z >= threshold
#pragma once

#include <cstdint>
#include <vector>

#include "mlp/core/tensor.hpp"

namespace mlp {

struct AdalineOptions {
    double lr = 0.01;
    int epochs = 50;
    double threshold = 0.5;  ///< halfway between the 0 and 1 targets
};

class Adaline {
public:
    explicit Adaline(std::int64_t inputs, AdalineOptions options = {});
    /// x (N, inputs); y (N) or (N, 1), targets 0 and 1 (or any numbers). Returns
    /// the MSE before each epoch's update. Throws NumericError if it diverges
    /// (lr too large), naming the epoch.
    std::vector<double> fit(const TensorView& x, const TensorView& y);
    /// z = x·w + b, (N, 1) float64.
    Tensor decision_function(const TensorView& x) const;
    /// z >= threshold, (N, 1) float64 of 0 and 1.
    Tensor predict(const TensorView& x) const;
    /// The fraction of rows predicted right (targets read as z >= threshold).
    double score(const TensorView& x, const TensorView& y) const;

    const std::vector<double>& weights() const { return w_; }
    double bias() const { return b_; }
    std::int64_t inputs() const { return static_cast<std::int64_t>(w_.size()); }

private:
    AdalineOptions options_;
    std::vector<double> w_;
    double b_ = 0;
};

}  // namespace mlp
