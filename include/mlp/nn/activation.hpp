// Activation: an activation function as a layer of its own, a = σ(x), for
// networks written as Dense(256) followed by Activation("relu").
#pragma once

#include "mlp/nn/layer.hpp"

namespace mlp {

class Activation : public LayerBase<Activation> {
public:
    explicit Activation(ActivationFunction function);

    std::string type() const override { return "Activation"; }
    std::string details() const override { return function_.str(); }
    const ActivationFunction* output_activation() const override { return &function_; }
    TensorView logits() const override { return x_; }
    const ActivationFunction& function() const { return function_; }

private:
    std::int64_t output_features(std::int64_t in_features) const override { return in_features; }
    TensorView do_forward(const TensorView& x, bool training) override;
    TensorView do_backward(const TensorView& dy) override;
    TensorView do_backward_from_logits(const TensorView& dz) override { return dz; }
    void do_infer(const TensorView& x, const TensorView& y) const override;

    ActivationFunction function_;
    TensorView x_;  // (B, F) input z of the last forward, read by backward for σ'(z)
    Tensor a_;      // (B, F) output σ(z), read by backward (sigmoid, tanh, softmax use it)
    Tensor dx_;     // (B, F)
};

}  // namespace mlp
