// Dense: forward z = x·W + b, a = σ(z); backward dz = da ⊙ σ'(z),
// dW += xᵀ·dz, db += Σ_rows dz, dx = dz·Wᵀ. Shapes: B batch, I in, O out.
#include "mlp/nn/dense.hpp"

#include "../backend/ops.hpp"
#include "mlp/core/error.hpp"

namespace mlp {

Dense::Dense(std::int64_t units, ActivationFunction activation, DenseOptions options)
    : units_(units), activation_(activation), options_(std::move(options)) {
    if (units <= 0) throw ConfigError("Dense: units must be positive, got " + std::to_string(units));
    init_ = options_.init.is_auto() ? Initializer::for_activation(activation_) : options_.init;
    if (options_.bias_init.is_auto()) options_.bias_init = Initializer("zeros");
    for (const Regularizer* r : {&options_.kernel_regularizer, &options_.bias_regularizer})
        if (!(r->l1 >= 0 && r->l2 >= 0))
            throw ConfigError("Dense: regularizer factors must be >= 0, got l1 " + std::to_string(r->l1) + ", l2 " +
                              std::to_string(r->l2));
    if (options_.kernel_constraint && !(options_.kernel_constraint->max_value > 0))
        throw ConfigError("Dense: MaxNorm max_value must be > 0, got " +
                          std::to_string(options_.kernel_constraint->max_value));
}

std::string Dense::details() const {
    std::string s = activation_.str() + ", " + init_.name() + (options_.use_bias ? "" : ", no bias");
    const auto& r = options_.kernel_regularizer;
    if (r.l1 != 0) s += ", l1 " + std::to_string(r.l1).substr(0, 8);
    if (r.l2 != 0) s += ", l2 " + std::to_string(r.l2).substr(0, 8);
    if (options_.kernel_constraint) s += ", max-norm";
    return s;
}

double Dense::regularization(bool add_gradient) const {
    double penalty = 0;
    const auto& k = options_.kernel_regularizer;
    if (k.any())
        penalty += backend::regularize(kernel().value, add_gradient ? kernel().grad : TensorView(), k.l1, k.l2);
    const auto& b = options_.bias_regularizer;
    if (options_.use_bias && b.any())
        penalty += backend::regularize(parameter(1).value, add_gradient ? parameter(1).grad : TensorView(), b.l1, b.l2);
    return penalty;
}

void Dense::apply_constraints() {
    if (options_.kernel_constraint) backend::max_norm_columns(kernel().value, options_.kernel_constraint->max_value);
}

std::vector<ParameterSpec> Dense::parameter_specs() const {
    std::vector<ParameterSpec> specs{{"kernel", Shape{in_features(), units_}}};
    if (options_.use_bias) specs.push_back({"bias", Shape{units_}});
    return specs;
}

void Dense::initialize(Random& rng) {
    init_(kernel().value, in_features(), units_, rng);
    if (options_.use_bias) options_.bias_init(parameter(1).value, in_features(), units_, rng);
}

const ActivationFunction* Dense::output_activation() const {
    return activation_.is(ActivationFunction::Kind::linear) ? nullptr : &activation_;
}

TensorView Dense::do_forward(const TensorView& x, bool) {
    const std::int64_t batch = x.rows();
    x_ = x;
    const bool linear = activation_.is(ActivationFunction::Kind::linear);
    z_ = fit_cache(linear ? a_ : z_storage_, batch, units_);
    const TensorView a = linear ? z_ : fit_cache(a_, batch, units_);
    backend::gemm(x, false, kernel().value, false, z_);  // z = x·W
    const TensorView bias = options_.use_bias ? parameter(1).value : TensorView();
    backend::bias_activate(z_, bias, activation_, a);  // z += b; a = σ(z)
    return a;
}

TensorView Dense::do_backward(const TensorView& dy) {
    if (activation_.is(ActivationFunction::Kind::linear)) return do_backward_from_logits(dy);  // σ' = 1
    const TensorView dz = fit_cache(dz_, dy.rows(), units_);
    backend::activate_backward(activation_, z_, a_.view(), dy, dz);  // dz = da ⊙ σ'(z)
    return do_backward_from_logits(dz);
}

TensorView Dense::do_backward_from_logits(const TensorView& dz) {
    // dW = xᵀ·dz, or dW += xᵀ·dz when the gradients accumulate.
    backend::gemm(x_, true, dz, false, kernel().grad, 1.0, gradients_written_ ? 0.0 : 1.0);
    if (options_.use_bias) {
        if (gradients_written_) backend::fill(parameter(1).grad, 0.0);
        backend::add_column_sums(dz, parameter(1).grad);  // db += Σ dz
    }
    if (!input_grad_needed_) return {};
    const TensorView dx = fit_cache(dx_, dz.rows(), in_features());
    backend::gemm(dz, false, kernel().value, true, dx);  // dx = dz·Wᵀ
    return dx;
}

void Dense::do_infer(const TensorView& x, const TensorView& y) const {
    backend::gemm(x, false, kernel().value, false, y);
    const TensorView bias = options_.use_bias ? parameter(1).value : TensorView();
    backend::bias_activate(y, bias, activation_, y);
}

}  // namespace mlp
