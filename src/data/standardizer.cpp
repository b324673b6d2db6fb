// Standardizer: column means and population standard deviations in double.
#include "mlp/data/standardizer.hpp"

#include <cmath>

#include "mlp/core/error.hpp"

namespace mlp::data {

Standardizer& Standardizer::fit(const TensorView& x) {
    const std::int64_t n = x.rows(), d = x.cols();
    if (x.shape().rank() != 2 || n == 0)
        throw ShapeError("Standardizer::fit: expected x (N, D) with N > 0, got " + x.shape().str());
    mean_ = Tensor(Shape{d}, DType::f64);
    scale_ = Tensor(Shape{d}, DType::f64);
    double* mean = mean_.data<double>();
    double* scale = scale_.data<double>();
    for (std::int64_t r = 0; r < n; ++r)
        for (std::int64_t j = 0; j < d; ++j) mean[j] += x.item(r * d + j) / static_cast<double>(n);
    for (std::int64_t r = 0; r < n; ++r)
        for (std::int64_t j = 0; j < d; ++j)
            scale[j] += std::pow(x.item(r * d + j) - mean[j], 2) / static_cast<double>(n);
    for (std::int64_t j = 0; j < d; ++j) scale[j] = scale[j] > 0 ? std::sqrt(scale[j]) : 1.0;
    return *this;
}

Tensor Standardizer::transform(const TensorView& x) const {
    if (!fitted()) throw ConfigError("Standardizer::transform: call fit on the training data first");
    const std::int64_t d = mean_.numel();
    if (x.shape().rank() != 2 || x.cols() != d)
        throw ShapeError("Standardizer::transform: fitted on " + std::to_string(d) + " features, got x " +
                         x.shape().str());
    Tensor out(x.shape(), DType::f64);
    for (std::int64_t i = 0; i < x.numel(); ++i)
        out.data<double>()[i] = (x.item(i) - mean_.item(i % d)) / scale_.item(i % d);
    return out.to(x.dtype());
}

}  // namespace mlp::data
