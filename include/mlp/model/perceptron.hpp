// The Rosenblatt perceptron (1958): one unit, z = x·w + b, output step(z) =
// 1 if z >= 0 else 0, trained one sample at a time by the perceptron rule
// w += lr (y - ŷ) x, b += lr (y - ŷ). It finds a separating line whenever one
// exists (the convergence theorem) and never settles when none does (XOR).
//
//   mlp::Perceptron p(2, {.epochs = 20});
//   auto mistakes = p.fit(x, y);   // misclassified samples per epoch
//   p.predict(x);                  // (N, 1) of 0 and 1
#pragma once

#include <cstdint>
#include <vector>

#include "mlp/core/tensor.hpp"

namespace mlp {

struct PerceptronOptions {
    double lr = 1.0;
    int epochs = 10;
    bool shuffle = true;     ///< visit the samples in a fresh order each epoch
    std::uint64_t seed = 0;  ///< for the order; the weights start at zero
};

class Perceptron {
public:
    explicit Perceptron(std::int64_t inputs, PerceptronOptions options = {});
    /// x (N, inputs); y (N) or (N, 1) of 0 and 1. Returns the mistakes made in
    /// each epoch; stops after the first epoch without one.
    std::vector<std::int64_t> fit(const TensorView& x, const TensorView& y);
    /// z = x·w + b, (N, 1) float64.
    Tensor decision_function(const TensorView& x) const;
    /// step(z), (N, 1) float64 of 0 and 1.
    Tensor predict(const TensorView& x) const;
    /// The fraction of rows predicted right.
    double score(const TensorView& x, const TensorView& y) const;

    const std::vector<double>& weights() const { return w_; }
    double bias() const { return b_; }
    std::int64_t inputs() const { return static_cast<std::int64_t>(w_.size()); }

private:
    PerceptronOptions options_;
    std::vector<double> w_;
    double b_ = 0;
};

}  // namespace mlp
