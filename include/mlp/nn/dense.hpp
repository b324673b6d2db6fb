// Dense: the fully connected layer, a = σ(z), z = x·W + b, batch-major.
// Shapes: B = batch, I = in features, O = out features (units).
#pragma once

#include <optional>

#include "mlp/init/initializer.hpp"
#include "mlp/nn/layer.hpp"
#include "mlp/nn/regularizer.hpp"

namespace mlp {

struct DenseOptions {
    Initializer init{};  ///< kernel initializer; "auto" follows the activation
    Initializer bias_init = "zeros";
    bool use_bias = true;
    Regularizer kernel_regularizer{};  ///< mlp::l2(1e-4), mlp::l1(...), mlp::l1_l2(...)
    Regularizer bias_regularizer{};
    std::optional<MaxNorm> kernel_constraint = std::nullopt;
};

/// `Dense(256, "relu")`, `Dense(10, "softmax", {.init = "glorot_normal"})`.
class Dense : public LayerBase<Dense> {
public:
    explicit Dense(std::int64_t units, ActivationFunction activation = "linear", DenseOptions options = {});

    std::string type() const override { return "Dense"; }
    std::string details() const override;
    std::vector<ParameterSpec> parameter_specs() const override;
    void initialize(Random& rng) override;
    const ActivationFunction* output_activation() const override;
    bool writes_all_gradients() const override { return true; }
    TensorView logits() const override { return z_; }
    double regularization(bool add_gradient) const override;
    void apply_constraints() override;

    std::int64_t units() const { return units_; }
    const ActivationFunction& activation() const { return activation_; }
    /// The kernel initializer in use ("auto" resolved).
    const Initializer& kernel_initializer() const { return init_; }
    const DenseOptions& options() const { return options_; }

private:
    std::int64_t output_features(std::int64_t) const override { return units_; }
    TensorView do_forward(const TensorView& x, bool training) override;
    TensorView do_backward(const TensorView& dy) override;
    TensorView do_backward_from_logits(const TensorView& dz) override;
    void do_infer(const TensorView& x, const TensorView& y) const override;

    const Parameter& kernel() const { return parameter(0); }  // W (I, O)

    std::int64_t units_;
    ActivationFunction activation_;
    DenseOptions options_;
    Initializer init_;

    TensorView x_;  // (B, I) input of the last forward, read by backward for dW = xᵀ·dz
    TensorView z_;  // (B, O) pre-activation, read by backward for σ'(z); is a_ for linear layers
    Tensor z_storage_;
    Tensor a_;   // (B, O) output a = σ(z)
    Tensor dz_;  // (B, O) dL/dz
    Tensor dx_;  // (B, I) dL/dx
};

}  // namespace mlp
