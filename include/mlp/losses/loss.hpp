// Loss: which loss a model minimizes, as a value: `Loss("mse")`,
// `Loss("binary_crossentropy", {.from_logits = true})`, `Loss("huber", {.delta = 2})`.
// All reduce by the mean over the batch. The equations, each L next to dL/dpred,
// are in src/backend/cpu/losses.cpp.
#pragma once

#include <string>
#include <string_view>

#include "mlp/core/tensor.hpp"

namespace mlp {

struct LossOptions {
    bool from_logits = false;  ///< cross-entropies: predictions are logits, not probabilities
    double delta = 1.0;        ///< huber: where the quadratic turns linear
};

class Loss {
public:
    enum class Kind {
        mse,
        mae,
        huber,
        binary_crossentropy,
        categorical_crossentropy,         // one-hot (or soft) targets (B, C)
        sparse_categorical_crossentropy,  // class ids (B) or (B, 1)
    };

    /// Names as in Keras: "mse" / "mean_squared_error", "mae" / "mean_absolute_error",
    /// "huber", "binary_crossentropy", "categorical_crossentropy",
    /// "sparse_categorical_crossentropy".
    Loss(std::string_view name, LossOptions options = {});                                              // NOLINT
    Loss(const char* name, LossOptions options = {}) : Loss(std::string_view(name), options) {}         // NOLINT
    Loss(const std::string& name, LossOptions options = {}) : Loss(std::string_view(name), options) {}  // NOLINT

    Kind kind() const { return kind_; }
    const LossOptions& options() const { return options_; }
    bool from_logits() const { return options_.from_logits; }
    bool is_crossentropy() const;
    /// The canonical name: "sparse_categorical_crossentropy".
    std::string name() const;
    /// The same loss taking logits: what the model uses when it fuses softmax or sigmoid in.
    Loss with_logits() const;

    /// Mean loss over the batch; when `grad` is not empty, writes dL/dpred into it.
    /// Sample `weights` (B), when given, weigh each row's loss: Σ wᵣ Lᵣ / B (Keras's rule).
    /// With `total` (one float64 beside pred), the loss is also written there; on
    /// a GPU it then stays there and the call returns NaN, without waiting for it.
    double compute(const TensorView& pred, const TensorView& target, const TensorView& grad = {},
                   const TensorView& weights = {}, const TensorView& total = {}) const;

private:
    Kind kind_;
    LossOptions options_;
};

}  // namespace mlp
