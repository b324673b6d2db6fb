// Normalization: y = (x - center) / scale; dx = dy / scale. No parameters.
#include "mlp/nn/normalization.hpp"

#include "../backend/ops.hpp"
#include "mlp/core/error.hpp"
#include "mlp/data/scaler.hpp"

namespace mlp {

Normalization::Normalization(std::string method) : method_(std::move(method)) {
    if (method_ != "standardize" && method_ != "minmax")
        throw ConfigError("Normalization: method must be 'standardize' or 'minmax', got '" + method_ + "'");
}

Normalization& Normalization::adapt(const TensorView& x) {
    if (built() && x.cols() != in_features())
        throw ShapeError(label() + ": adapt got " + std::to_string(x.cols()) + " features, the layer has " +
                         std::to_string(in_features()));
    std::unique_ptr<data::Scaler> scaler;
    if (method_ == "minmax")
        scaler = std::make_unique<data::MinMaxScaler>();
    else
        scaler = std::make_unique<data::Standardizer>();
    scaler->fit(x);
    fitted_center_ = scaler->center();
    fitted_scale_ = scaler->scale();
    adapted_ = true;
    if (built()) build_buffers();
    return *this;
}

void Normalization::buffers_to_device() {
    center_ = center_.to(device());
    scale_ = scale_.to(device());
}

std::vector<std::pair<std::string, TensorView>> Normalization::buffers() const {
    return {{"center", center_.view()}, {"scale", scale_.view()}};
}

void Normalization::build_buffers() {
    if (adapted_ && fitted_center_.numel() != in_features())
        throw ShapeError(label() + ": adapted on " + std::to_string(fitted_center_.numel()) +
                         " features but built for " + std::to_string(in_features()));
    if (adapted_) {
        center_ = fitted_center_.to(dtype()).to(device());
        scale_ = fitted_scale_.to(dtype()).to(device());
        return;
    }
    center_ = Tensor(Shape{in_features()}, dtype(), device());
    scale_ = Tensor(Shape{in_features()}, dtype(), device());
    backend::fill(center_, 0.0);
    backend::fill(scale_, 1.0);
}

TensorView Normalization::do_forward(const TensorView& x, bool /*training*/) {
    const TensorView y = fit_cache(y_, x.rows(), x.cols());
    backend::normalize_columns(x, center_, scale_, y);
    return y;
}

TensorView Normalization::do_backward(const TensorView& dy) {
    if (!input_grad_needed_) return {};
    const TensorView dx = fit_cache(dx_, dy.rows(), dy.cols());
    backend::normalize_columns(dy, {}, scale_, dx);
    return dx;
}

void Normalization::do_infer(const TensorView& x, const TensorView& y) const {
    backend::normalize_columns(x, center_, scale_, y);
}

}  // namespace mlp
