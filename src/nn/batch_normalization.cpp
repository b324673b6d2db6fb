// BatchNormalization: forward and backward in the backend's batchnorm ops
// (cpu/regularization.cpp: x̂ = (x - μ)/sqrt(σ² + ε), y = γ x̂ + β and
// dx = γ/(B·sqrt(σ² + ε)) · (B dy - Σdy - x̂ Σ dy x̂)); the moving averages here.
#include "mlp/nn/batch_normalization.hpp"

#include <cstdio>

#include "../backend/ops.hpp"
#include "mlp/core/error.hpp"

namespace mlp {

BatchNormalization::BatchNormalization(BatchNormOptions options) : options_(options) {
    if (!(options.momentum >= 0 && options.momentum < 1))
        throw ConfigError("BatchNormalization: momentum must be in [0, 1), got " + std::to_string(options.momentum));
    if (!(options.epsilon > 0))
        throw ConfigError("BatchNormalization: epsilon must be > 0, got " + std::to_string(options.epsilon));
}

std::string BatchNormalization::details() const {
    char s[64];
    std::snprintf(s, sizeof s, "momentum %g, epsilon %g", options_.momentum, options_.epsilon);
    return s;
}

std::vector<ParameterSpec> BatchNormalization::parameter_specs() const {
    std::vector<ParameterSpec> specs;
    if (options_.scale) specs.push_back({"gamma", Shape{in_features()}});
    if (options_.center) specs.push_back({"beta", Shape{in_features()}});
    return specs;
}

TensorView BatchNormalization::gamma() const { return options_.scale ? parameter(0).value : TensorView(); }
TensorView BatchNormalization::beta() const {
    return options_.center ? parameter(options_.scale ? 1 : 0).value : TensorView();
}

void BatchNormalization::initialize(Random&) {
    if (options_.scale) backend::fill(gamma(), 1.0);
    if (options_.center) backend::fill(beta(), 0.0);
    backend::fill(moving_mean_, 0.0);
    backend::fill(moving_var_, 1.0);
}

void BatchNormalization::build_buffers() {
    const Shape features{in_features()};
    moving_mean_ = Tensor(features, dtype(), device());
    moving_var_ = Tensor(features, dtype(), device());
    backend::fill(moving_var_, 1.0);
    mean_ = Tensor(features, dtype(), device());
    var_ = Tensor(features, dtype(), device());
    inv_std_ = Tensor(features, dtype(), device());
}

void BatchNormalization::buffers_to_device() {
    for (Tensor* t : {&moving_mean_, &moving_var_, &mean_, &var_, &inv_std_}) *t = t->to(device());
}

std::vector<std::pair<std::string, TensorView>> BatchNormalization::buffers() const {
    return {{"moving_mean", moving_mean_.view()}, {"moving_variance", moving_var_.view()}};
}

TensorView BatchNormalization::do_forward(const TensorView& x, bool training) {
    const TensorView y = fit_cache(y_, x.rows(), x.cols());
    trained_forward_ = training;
    if (!training) {
        backend::batchnorm_infer(x, gamma(), beta(), moving_mean_, moving_var_, options_.epsilon, y);
        return y;
    }
    const TensorView x_hat = fit_cache(x_hat_, x.rows(), x.cols());
    if (!synchronized()) {
        backend::batchnorm_forward(x, gamma(), beta(), options_.epsilon, mean_, var_, inv_std_, x_hat, y);
        update_moving_statistics(static_cast<double>(x.rows()));
        return y;
    }
    global_statistics(&x);
    const auto f = static_cast<std::size_t>(x.cols());
    const std::span<const double> stats(stats_);
    backend::batchnorm_normalize(x, gamma(), beta(), options_.epsilon, stats.first(f), stats.last(f), mean_, var_,
                                 inv_std_, x_hat, y);
    update_moving_statistics(static_cast<double>(shard_.total));
    return y;
}

void BatchNormalization::global_statistics(const TensorView* x) {
    // Two passes, as batchnorm_forward: the mean, then the squared deviations from it.
    const auto f = static_cast<std::size_t>(in_features());
    const double n = static_cast<double>(shard_.total);
    stats_.assign(2 * f, 0.0);
    const std::span<double> mean = std::span(stats_).first(f), var = std::span(stats_).last(f);
    if (x != nullptr) backend::column_sums(*x, {}, mean);
    shard_.sum_over_processes(TensorView(mean.data(), Shape{in_features()}, DType::f64));
    for (double& v : mean) v /= n;
    if (x != nullptr) backend::column_sums(*x, mean, var);
    shard_.sum_over_processes(TensorView(var.data(), Shape{in_features()}, DType::f64));
    for (double& v : var) v /= n;
}

void BatchNormalization::update_moving_statistics(double rows) {
    const double m = options_.momentum;
    const double correction = options_.unbiased_moving_variance && rows > 1 ? rows / (rows - 1) : 1.0;
    backend::scale(moving_mean_, m);
    backend::axpy(1 - m, mean_, moving_mean_);
    backend::scale(moving_var_, m);
    backend::axpy((1 - m) * correction, var_, moving_var_);
}

void BatchNormalization::skip_forward() {
    if (!synchronized()) return;
    // No rows here: the sums the others wait for (zeros), and the moving statistics they update.
    global_statistics(nullptr);
    const auto f = static_cast<std::size_t>(in_features());
    const Tensor mean = Tensor::from(Shape{in_features()}, std::vector<double>(stats_.begin(), stats_.begin() + f));
    const Tensor var = Tensor::from(Shape{in_features()}, std::vector<double>(stats_.begin() + f, stats_.end()));
    backend::copy(mean.to(dtype()), mean_);  // from the host to where the layer is
    backend::copy(var.to(dtype()), var_);
    update_moving_statistics(static_cast<double>(shard_.total));
}

TensorView BatchNormalization::do_backward(const TensorView& dy) {
    if (!trained_forward_)
        throw ConfigError(label() + ": backward after an inference-mode forward; call forward(x, true) to train");
    const TensorView dgamma = options_.scale ? parameter(0).grad : TensorView();
    const TensorView dbeta = options_.center ? parameter(options_.scale ? 1 : 0).grad : TensorView();
    const TensorView dx = input_grad_needed_ ? fit_cache(dx_, dy.rows(), dy.cols()) : TensorView();
    if (!synchronized()) {
        backend::batchnorm_backward(dy, x_hat_.view(), gamma(), inv_std_, dgamma, dbeta, dx);
        return dx;
    }
    const auto f = static_cast<std::size_t>(dy.cols());
    stats_.assign(2 * f, 0.0);
    const std::span<double> sum_dy = std::span(stats_).first(f), sum_dy_xh = std::span(stats_).last(f);
    backend::batchnorm_backward_sums(dy, x_hat_.view(), dgamma, dbeta, sum_dy, sum_dy_xh);
    if (dx.empty()) return dx;
    // dy is already the gradient of the whole batch's loss (fit scales each
    // process's part), so the sums add up over the processes.
    shard_.sum_over_processes(TensorView(stats_.data(), Shape{2 * dy.cols()}, DType::f64));
    backend::batchnorm_backward_dx(dy, x_hat_.view(), gamma(), inv_std_, sum_dy, sum_dy_xh,
                                   static_cast<double>(shard_.total), dx);
    return dx;
}

void BatchNormalization::skip_backward() {
    if (!synchronized() || !input_grad_needed_) return;
    stats_.assign(2 * static_cast<std::size_t>(in_features()), 0.0);
    shard_.sum_over_processes(TensorView(stats_.data(), Shape{2 * in_features()}, DType::f64));
}

void BatchNormalization::do_infer(const TensorView& x, const TensorView& y) const {
    backend::batchnorm_infer(x, gamma(), beta(), moving_mean_, moving_var_, options_.epsilon, y);
}

}  // namespace mlp
