// DenseStack: forward a_l = σ(a_(l-1)·W_l + b_l) through the op set's dense
// stack; backward dz_l = da_l ⊙ σ'(a_l) and da_(l-1) = dz_l·W_lᵀ there too,
// then dW_l = a_(l-1)ᵀ·dz_l and db_l = Σ_rows dz_l, a product over the whole
// batch per layer. The first layer, when it changes the width, goes through
// gemm and bias_activate as a Dense does. Shapes: B batch, I in, U units.
#include "mlp/nn/dense_stack.hpp"

#include "../backend/ops.hpp"
#include "mlp/core/error.hpp"

namespace mlp {

DenseStack::DenseStack(std::int64_t units, int depth, ActivationFunction activation, DenseStackOptions options)
    : units_(units), depth_(depth), activation_(activation), options_(std::move(options)) {
    if (units <= 0) throw ConfigError("DenseStack: units must be positive, got " + std::to_string(units));
    if (depth <= 0) throw ConfigError("DenseStack: depth must be positive, got " + std::to_string(depth));
    if (!backend::derivative_from_output(activation_))
        throw ConfigError("DenseStack: activation " + activation_.str() +
                          ": the stack keeps each layer's output, not its pre-activation, so its activation must be "
                          "one whose derivative follows from the output: linear, relu, leaky_relu, elu, sigmoid or "
                          "tanh (use Dense layers for the others)");
    init_ = options_.init.is_auto() ? Initializer::for_activation(activation_) : options_.init;
    if (options_.bias_init.is_auto()) options_.bias_init = Initializer("zeros");
}

std::string DenseStack::details() const {
    return std::to_string(depth_) + " x " + std::to_string(units_) + ", " + activation_.str() + ", " + init_.name() +
           (options_.use_bias ? "" : ", no bias");
}

std::vector<ParameterSpec> DenseStack::parameter_specs() const {
    std::vector<ParameterSpec> specs;
    for (int l = 0; l < depth_; ++l) {
        const std::string n = std::to_string(l + 1);
        specs.push_back({"kernel_" + n, Shape{l == 0 ? in_features() : units_, units_}});
        if (options_.use_bias) specs.push_back({"bias_" + n, Shape{units_}});
    }
    return specs;
}

void DenseStack::initialize(Random& rng) {
    for (int l = 0; l < depth_; ++l) {
        const std::int64_t fan_in = l == 0 ? in_features() : units_;
        init_(kernel(l).value, fan_in, units_, rng);
        if (options_.use_bias) options_.bias_init(bias(l), fan_in, units_, rng);
    }
}

TensorView DenseStack::bias(int l) const { return options_.use_bias ? parameter(index(l) + 1).value : TensorView(); }

void DenseStack::parameters_bound() {
    kernels_.clear();
    biases_.clear();
    for (int l = 0; l < depth_; ++l) {
        kernels_.push_back(kernel(l).value);
        if (options_.use_bias) biases_.push_back(bias(l));
    }
}

void DenseStack::blocks(const Tensor& cache, std::int64_t batch, std::vector<TensorView>& views) const {
    views.clear();  // keeps its capacity: no allocation after the first step
    for (int l = 0; l < depth_; ++l) views.push_back(cache.rows(l * batch, batch));
}

void DenseStack::forward_into(const TensorView& x, std::span<const TensorView> outs) const {
    const auto first = static_cast<std::size_t>(first_square());
    if (first == 1) {
        backend::gemm(x, false, kernel(0).value, false, outs[0]);  // z = x·W_1
        backend::bias_activate(outs[0], bias(0), activation_, outs[0]);
    }
    if (outs.size() > first)
        backend::dense_stack_forward(
            first == 1 ? outs[0] : x, std::span(kernels_).subspan(first),
            biases_.empty() ? std::span<const TensorView>() : std::span(biases_).subspan(first), activation_,
            outs.subspan(first));
}

TensorView DenseStack::do_forward(const TensorView& x, bool) {
    const std::int64_t batch = x.rows();
    x_ = x;
    fit_cache(acts_, depth_ * batch, units_);
    blocks(acts_, batch, act_views_);
    forward_into(x, act_views_);
    return act_views_.back();
}

TensorView DenseStack::do_backward(const TensorView& dy) {
    const std::int64_t batch = dy.rows();
    fit_cache(dzs_, depth_ * batch, units_);
    blocks(dzs_, batch, dz_views_);
    const std::vector<TensorView>& acts = act_views_;  // as the forward of these rows left them
    const std::vector<TensorView>& dzs = dz_views_;
    const TensorView dx = input_grad_needed_ ? fit_cache(dx_, batch, in_features()) : TensorView();
    const int first = first_square();
    const auto from = static_cast<std::size_t>(first);
    if (depth_ > first)  // with a first layer of its own, da_1 lands in dzs[0], where it becomes dz_1
        backend::dense_stack_backward(std::span(kernels_).subspan(from), activation_, std::span(acts).subspan(from), dy,
                                      std::span(dzs).subspan(from), first == 1 ? dzs[0] : dx);
    if (first == 1) {
        backend::activate_backward(activation_, acts[0], acts[0], depth_ > 1 ? dzs[0] : dy, dzs[0]);
        if (!dx.empty()) backend::gemm(dzs[0], false, kernel(0).value, true, dx);  // dx = dz_1·W_1ᵀ
    }
    const double beta = gradients_written_ ? 0.0 : 1.0;
    for (int l = 0; l < depth_; ++l) {
        const auto i = static_cast<std::size_t>(l);
        backend::gemm(l == 0 ? x_ : acts[i - 1], true, dzs[i], false, kernel(l).grad, 1.0, beta);
        if (options_.use_bias) {
            const TensorView db = parameter(index(l) + 1).grad;
            if (gradients_written_) backend::fill(db, 0.0);
            backend::add_column_sums(dzs[i], db);
        }
    }
    return dx;
}

void DenseStack::do_infer(const TensorView& x, const TensorView& y) const {
    // Two blocks of scratch of its own, taken in turn: inference touches no layer state.
    const std::int64_t batch = x.rows();
    const Tensor scratch(Shape{depth_ > 1 ? 2 * batch : 0, units_}, dtype(), device());
    std::vector<TensorView> outs;
    for (int l = 0; l + 1 < depth_; ++l) outs.push_back(scratch.rows((l % 2) * batch, batch));
    outs.push_back(y);
    forward_into(x, outs);
}

}  // namespace mlp
