// Scalers: column statistics in double, whatever the data's dtype.
#include "mlp/data/scaler.hpp"

#include <cmath>
#include <limits>
#include <string>

#include "mlp/core/error.hpp"

namespace mlp::data {

Scaler& Scaler::fit(const TensorView& x) {
    const std::int64_t n = x.rows(), d = x.cols();
    if (x.shape().rank() != 2 || n == 0)
        throw ShapeError(std::string(name()) + "::fit: expected x (N, D) with N > 0, got " + x.shape().str());
    center_ = Tensor(Shape{d}, DType::f64);
    scale_ = Tensor(Shape{d}, DType::f64);
    fit_columns(x, center_.data<double>(), scale_.data<double>());
    for (double& s : scale_.values<double>())
        if (!(s > 0) || !std::isfinite(s)) s = 1.0;
    return *this;
}

namespace {
Tensor apply(const TensorView& x, const Tensor& center, const Tensor& scale, bool inverse, const char* what) {
    if (center.empty()) throw ConfigError(std::string(what) + ": call fit on the training data first");
    const std::int64_t d = center.numel();
    if (x.shape().rank() != 2 || x.cols() != d)
        throw ShapeError(std::string(what) + ": fitted on " + std::to_string(d) + " features, got x " +
                         x.shape().str());
    Tensor out(x.shape(), DType::f64);
    double* o = out.data<double>();
    for (std::int64_t i = 0; i < x.numel(); ++i) {
        const double c = center.data<double>()[i % d], s = scale.data<double>()[i % d];
        o[i] = inverse ? x.item(i) * s + c : (x.item(i) - c) / s;
    }
    return out.to(x.dtype());
}
}  // namespace

Tensor Scaler::transform(const TensorView& x) const {
    return apply(x, center_, scale_, false, (std::string(name()) + "::transform").c_str());
}

Tensor Scaler::inverse_transform(const TensorView& x) const {
    return apply(x, center_, scale_, true, (std::string(name()) + "::inverse_transform").c_str());
}

void Standardizer::fit_columns(const TensorView& x, double* mean, double* scale) const {
    const std::int64_t n = x.rows(), d = x.cols();
    for (std::int64_t j = 0; j < d; ++j) mean[j] = scale[j] = 0;
    for (std::int64_t r = 0; r < n; ++r)
        for (std::int64_t j = 0; j < d; ++j) mean[j] += x.item(r * d + j) / static_cast<double>(n);
    for (std::int64_t r = 0; r < n; ++r)
        for (std::int64_t j = 0; j < d; ++j)
            scale[j] += std::pow(x.item(r * d + j) - mean[j], 2) / static_cast<double>(n);
    for (std::int64_t j = 0; j < d; ++j) scale[j] = std::sqrt(scale[j]);
}

void MinMaxScaler::fit_columns(const TensorView& x, double* min, double* range) const {
    const std::int64_t n = x.rows(), d = x.cols();
    for (std::int64_t j = 0; j < d; ++j) {
        min[j] = std::numeric_limits<double>::infinity();
        range[j] = -std::numeric_limits<double>::infinity();  // the maximum, until the end
    }
    for (std::int64_t r = 0; r < n; ++r)
        for (std::int64_t j = 0; j < d; ++j) {
            min[j] = std::min(min[j], x.item(r * d + j));
            range[j] = std::max(range[j], x.item(r * d + j));
        }
    for (std::int64_t j = 0; j < d; ++j) range[j] -= min[j];
}

}  // namespace mlp::data
