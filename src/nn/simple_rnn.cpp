// SimpleRNN forward, then backward through time. Shapes: B batch, T steps,
// F features per step, U units. Inside, sequences are time-major, so that
// step t is the contiguous block of rows [t B, (t+1) B).
//   forward:  z_t = x_t W_x + h_{t-1} W_h + b,  h_t = σ(z_t)
//   backward: dh_t = dy_t + dz_{t+1} W_hᵀ (nothing across a truncation boundary),
//             dz_t = dh_t ⊙ σ'(z_t),  dW_x += Σ x_tᵀ dz_t,  dW_h += Σ h_{t-1}ᵀ dz_t,
//             db += Σ dz_t,  dx_t = dz_t W_xᵀ
#include "mlp/nn/simple_rnn.hpp"

#include <cmath>

#include "../backend/ops.hpp"
#include "mlp/core/error.hpp"

namespace mlp {

SimpleRNN::SimpleRNN(std::int64_t units, SimpleRNNOptions options) : units_(units), options_(std::move(options)) {
    if (units <= 0) throw ConfigError("SimpleRNN: units must be positive, got " + std::to_string(units));
    if (options_.features <= 0)
        throw ConfigError("SimpleRNN: features must be positive, got " + std::to_string(options_.features));
    if (options_.truncate < 0)
        throw ConfigError("SimpleRNN: truncate must be >= 0 (0: full BPTT), got " + std::to_string(options_.truncate));
    if (options_.activation.is(ActivationFunction::Kind::softmax))
        throw ConfigError("SimpleRNN: softmax is not an element-wise activation; use a Dense softmax after it");
    if (options_.init.is_auto()) options_.init = Initializer("glorot_uniform");
    if (options_.recurrent_init.is_auto()) options_.recurrent_init = Initializer("orthogonal");
}

std::string SimpleRNN::details() const {
    std::string s = options_.activation.str() + ", " + options_.init.name() + ", recurrent " +
                    options_.recurrent_init.name() + ", " + std::to_string(options_.features) + " features/step";
    if (options_.return_sequences) s += ", sequences";
    if (options_.truncate > 0) s += ", BPTT " + std::to_string(options_.truncate);
    return s;
}

std::int64_t SimpleRNN::output_features(std::int64_t in_features) const {
    if (in_features % options_.features != 0)
        throw ShapeError(label() + ": the input width " + std::to_string(in_features) + " is not a multiple of " +
                         std::to_string(options_.features) + " features per step");
    return options_.return_sequences ? in_features / options_.features * units_ : units_;
}

std::vector<ParameterSpec> SimpleRNN::parameter_specs() const {
    std::vector<ParameterSpec> specs{{"kernel", Shape{options_.features, units_}},
                                     {"recurrent_kernel", Shape{units_, units_}}};
    if (options_.use_bias) specs.push_back({"bias", Shape{units_}});
    return specs;
}

void SimpleRNN::initialize(Random& rng) {
    options_.init(parameter(0).value, options_.features, units_, rng);
    options_.recurrent_init(parameter(1).value, units_, units_, rng);
    if (options_.use_bias) backend::fill(parameter(2).value, 0.0);
}

void SimpleRNN::build_buffers() { state_gradient_norms_.clear(); }

void SimpleRNN::run(const TensorView& xs, const TensorView& zs, const TensorView& hs, std::int64_t batch) const {
    const std::int64_t steps = timesteps();
    backend::gemm(xs, false, parameter(0).value, false, zs);  // every step's x_t W_x at once
    backend::fill(hs.rows(0, batch), 0.0);                    // h_0
    const TensorView bias = options_.use_bias ? parameter(2).value : TensorView();
    for (std::int64_t t = 0; t < steps; ++t) {
        const TensorView z = zs.rows(t * batch, batch);
        backend::gemm(hs.rows(t * batch, batch), false, parameter(1).value, false, z, 1.0, 1.0);  // += h_{t-1} W_h
        backend::bias_activate(z, bias, options_.activation, hs.rows((t + 1) * batch, batch));    // h_t = σ(z + b)
    }
}

TensorView SimpleRNN::do_forward(const TensorView& x, bool) {
    const std::int64_t batch = x.rows(), steps = timesteps(), f = options_.features;
    const TensorView xs = fit_cache(xs_, steps * batch, f);
    backend::swap_leading_axes(x, batch, steps, xs);  // (B, T, F) -> (T, B, F)
    const TensorView zs = fit_cache(zs_, steps * batch, units_);
    const TensorView hs = fit_cache(hs_, (steps + 1) * batch, units_);
    run(xs, zs, hs, batch);
    if (!options_.return_sequences) return hs.rows(steps * batch, batch);  // h_T
    const TensorView y = fit_cache(y_, batch, steps * units_);
    backend::swap_leading_axes(hs.rows(batch, steps * batch), steps, batch, y);  // (T, B, U) -> (B, T, U)
    return y;
}

TensorView SimpleRNN::do_backward(const TensorView& dy) {
    const std::int64_t batch = dy.rows(), steps = timesteps(), f = options_.features;
    const TensorView zs = zs_.view(), hs = hs_.view();
    const TensorView dzs = fit_cache(dzs_, steps * batch, units_);
    const TensorView dh = fit_cache(dh_, batch, units_);
    TensorView dys;
    if (options_.return_sequences) {
        dys = fit_cache(dys_, steps * batch, units_);
        backend::swap_leading_axes(dy, batch, steps, dys);  // (B, T, U) -> (T, B, U)
        backend::copy(dys.rows((steps - 1) * batch, batch), dh);
    } else {
        backend::copy(dy, dh);  // only h_T is seen
    }
    state_gradient_norms_.assign(static_cast<std::size_t>(steps), 0.0);
    for (std::int64_t t = steps - 1; t >= 0; --t) {
        state_gradient_norms_[static_cast<std::size_t>(t)] = std::sqrt(backend::squared_norm(dh));
        const TensorView dz = dzs.rows(t * batch, batch);
        backend::activate_backward(options_.activation, zs.rows(t * batch, batch), hs.rows((t + 1) * batch, batch), dh,
                                   dz);  // dz_t = dh_t ⊙ σ'(z_t)
        if (t == 0) break;
        const bool cut = options_.truncate > 0 && t % options_.truncate == 0;  // h_{t-1} ends the previous chunk
        if (cut)
            backend::fill(dh, 0.0);
        else
            backend::gemm(dz, false, parameter(1).value, true, dh);  // dh_{t-1} = dz_t W_hᵀ
        if (options_.return_sequences) backend::axpy(1.0, dys.rows((t - 1) * batch, batch), dh);  // + dy_{t-1}
    }
    const TensorView xs = xs_.view();
    backend::gemm(xs, true, dzs, false, parameter(0).grad, 1.0, 1.0);                         // dW_x += Xᵀ dZ
    backend::gemm(hs.rows(0, steps * batch), true, dzs, false, parameter(1).grad, 1.0, 1.0);  // dW_h += H_prevᵀ dZ
    if (options_.use_bias) backend::add_column_sums(dzs, parameter(2).grad);                  // db += Σ dz
    if (!input_grad_needed_) return {};
    const TensorView dxs = fit_cache(dxs_, steps * batch, f);
    backend::gemm(dzs, false, parameter(0).value, true, dxs);  // dx_t = dz_t W_xᵀ
    const TensorView dx = fit_cache(dx_, batch, steps * f);
    backend::swap_leading_axes(dxs, steps, batch, dx);  // (T, B, F) -> (B, T, F)
    return dx;
}

void SimpleRNN::do_infer(const TensorView& x, const TensorView& y) const {
    // Scratch of its own: inference touches no layer state.
    const std::int64_t batch = x.rows(), steps = timesteps();
    Tensor xs(Shape{steps * batch, options_.features}, dtype(), device());
    Tensor zs(Shape{steps * batch, units_}, dtype(), device());
    Tensor hs(Shape{(steps + 1) * batch, units_}, dtype(), device());
    backend::swap_leading_axes(x, batch, steps, xs.view());
    run(xs.view(), zs.view(), hs.view(), batch);
    if (options_.return_sequences)
        backend::swap_leading_axes(hs.view().rows(batch, steps * batch), steps, batch, y);
    else
        backend::copy(hs.view().rows(steps * batch, batch), y);
}

}  // namespace mlp
