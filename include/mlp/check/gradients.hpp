// Gradient checking: compares the analytic gradients of backward() with
// central differences, (L(θ+ε) - L(θ-ε)) / 2ε, tensor by tensor. Run it in
// float64 (ModelOptions{.dtype = DType::f64}); errors there are ~1e-9 when
// backward is right, and ~1 when it is wrong.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "mlp/core/tensor.hpp"
#include "mlp/losses/loss.hpp"
#include "mlp/model/sequential.hpp"
#include "mlp/nn/layer.hpp"

namespace mlp::check {

struct Options {
    double epsilon = 1e-6;
    /// Entries checked per tensor, spread evenly; 0 checks every entry.
    std::int64_t max_entries = 0;
    /// Seeds the layer check's parameters and its random upstream gradient.
    std::uint64_t seed = 0;
    /// Where the layer check runs the layer (a model is checked where it is):
    /// Device::cuda() checks the GPU's forward and backward against finite
    /// differences of the GPU's forward.
    Device device = Device::cpu();
    /// Called as entries are checked (tensor name, entries done, entries of
    /// that tensor to check), at most every 4,096 entries and at each
    /// tensor's end: a check of a large model runs for minutes.
    std::function<void(const std::string& tensor, std::int64_t done, std::int64_t total)> progress = {};
};

/// One tensor's comparison: ||analytic - numeric|| / max(||analytic||, ||numeric||),
/// over the entries checked (0 when both are zero).
struct TensorResult {
    std::string name;  // "dense_1.kernel", "input", "pred"
    std::int64_t entries = 0;
    double analytic_norm = 0;
    double numeric_norm = 0;
    double difference_norm = 0;  // ||analytic - numeric||
    double relative_error = 0;
};

/// Below this ||analytic - numeric|| a tensor passes whatever its relative
/// error: a gradient that is exactly zero (a bias under MAE whose residual
/// signs cancel, say) meets finite differences' rounding noise of ~1e-10.
constexpr double absolute_noise_floor = 1e-8;

struct Report {
    std::vector<TensorResult> tensors;
    double max_relative_error() const;
    /// Every tensor's relative error is below `tolerance` (or its difference below the noise floor).
    bool passed(double tolerance = 1e-6) const;
    /// A table: tensor, entries, norms, relative error.
    std::string str() const;
};

/// Every parameter of a compiled model, and its input, for the loss on (x, y).
Report gradients(Sequential& model, const TensorView& x, const TensorView& y, const Options& options = {});
/// A copy of `layer`, built in float64 for x's width with seeded parameters,
/// under the loss L = Σ r ⊙ layer(x) for a fixed random r: its parameters and its input.
Report gradients(const Layer& layer, const TensorView& x, const Options& options = {});
/// dL/dpred of a loss at (pred, target).
Report gradients(const Loss& loss, const TensorView& pred, const TensorView& target, const Options& options = {});

}  // namespace mlp::check
