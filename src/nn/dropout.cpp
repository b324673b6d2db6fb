// Dropout: forward y = x ⊙ mask, mask ∈ {0, 1/(1-rate)}; backward dx = dy ⊙ mask.
#include "mlp/nn/dropout.hpp"

#include <cstdio>

#include "../backend/ops.hpp"
#include "mlp/core/error.hpp"

namespace mlp {

Dropout::Dropout(double rate) : rate_(rate) {
    if (!(rate >= 0.0 && rate < 1.0)) throw ConfigError("Dropout: rate must be in [0, 1), got " + std::to_string(rate));
}

std::string Dropout::details() const {
    char s[32];
    std::snprintf(s, sizeof s, "rate %g", rate_);
    return s;
}

TensorView Dropout::do_forward(const TensorView& x, bool training) {
    masked_ = training && rate_ > 0;
    if (!masked_) return x;
    const TensorView mask = fit_cache(mask_, x.rows(), x.cols());
    const TensorView y = fit_cache(y_, x.rows(), x.cols());
    // One stream per call, mixed from the layer's seed and the call count;
    // within it, each element's draw is numbered by its row in the whole batch.
    backend::dropout(x, rate_, seed_, calls_there_, frozen_ ? 0 : 1, static_cast<std::uint64_t>(offset_ * x.cols()),
                     mask, y);
    if (!frozen_) ++calls_;
    return y;
}

void Dropout::count_on_device() {
    calls_there_ = Tensor(Shape{1}, DType::f64, device());
    backend::fill(calls_there_, static_cast<double>(calls_));
}

void Dropout::set_draws(std::uint64_t draws) {
    calls_ = draws;
    if (calls_there_.numel() > 0) backend::fill(calls_there_, static_cast<double>(calls_));
}

void Dropout::skip_forward() {
    if (rate_ > 0 && !frozen_) set_draws(calls_ + 1);
}

TensorView Dropout::do_backward(const TensorView& dy) {
    if (!input_grad_needed_) return {};
    if (!masked_) return dy;
    const TensorView dx = fit_cache(dx_, dy.rows(), dy.cols());
    backend::multiply(dy, mask_.view(), dx);
    return dx;
}

void Dropout::do_infer(const TensorView& x, const TensorView& y) const { backend::copy(x, y); }

}  // namespace mlp
