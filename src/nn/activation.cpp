// Activation layer: a = σ(x) forward, dx = dy ⊙ σ'(x) backward. The functions
// themselves, f next to f', are in src/backend/cpu/activations.cpp.
#include "mlp/nn/activation.hpp"

#include "../backend/ops.hpp"

namespace mlp {

Activation::Activation(ActivationFunction function) : function_(function) {}

TensorView Activation::do_forward(const TensorView& x, bool) {
    x_ = x;
    const TensorView a = fit_cache(a_, x.rows(), x.cols());
    backend::bias_activate(x, TensorView(), function_, a);
    return a;
}

TensorView Activation::do_backward(const TensorView& dy) {
    const TensorView dx = fit_cache(dx_, dy.rows(), dy.cols());
    backend::activate_backward(function_, x_, a_.view(), dy, dx);
    return dx;
}

void Activation::do_infer(const TensorView& x, const TensorView& y) const {
    backend::copy(x, y);
    backend::bias_activate(y, TensorView(), function_, y);
}

}  // namespace mlp
