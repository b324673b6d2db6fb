#include "linear_units.hpp"

#include "mlp/core/error.hpp"

namespace mlp::detail {

void check_linear_unit_data(const char* who, const TensorView& x, const TensorView& y, std::int64_t inputs) {
    if (x.shape().rank() != 2 || x.cols() != inputs)
        throw ShapeError(std::string(who) + ": x must be (N, " + std::to_string(inputs) + "), got " + x.shape().str());
    if (y.numel() != x.rows())
        throw ShapeError(std::string(who) + ": y must hold one target per row of x (" + std::to_string(x.rows()) +
                         "), got " + y.shape().str());
}

Tensor linear_unit_outputs(const char* who, const TensorView& x, const std::vector<double>& w, double b) {
    const auto inputs = static_cast<std::int64_t>(w.size());
    if (x.shape().rank() != 2 || x.cols() != inputs)
        throw ShapeError(std::string(who) + ": x must be (N, " + std::to_string(inputs) + "), got " + x.shape().str());
    Tensor z(Shape{x.rows(), 1}, DType::f64);
    for (std::int64_t i = 0; i < x.rows(); ++i) {
        double sum = b;
        for (std::int64_t j = 0; j < inputs; ++j) sum += x.item(i * inputs + j) * w[static_cast<std::size_t>(j)];
        z.data<double>()[i] = sum;
    }
    return z;
}

Tensor threshold_outputs(const Tensor& z, double threshold) {
    Tensor out(z.shape(), DType::f64);
    for (std::int64_t i = 0; i < z.rows(); ++i) out.data<double>()[i] = z.data<double>()[i] >= threshold ? 1.0 : 0.0;
    return out;
}

double agreement(const Tensor& predicted, const TensorView& y, double target_threshold) {
    std::int64_t right = 0;
    for (std::int64_t i = 0; i < predicted.rows(); ++i)
        right += predicted.data<double>()[i] == (y.item(i) >= target_threshold ? 1.0 : 0.0);
    return predicted.rows() ? static_cast<double>(right) / static_cast<double>(predicted.rows()) : 0.0;
}

}  // namespace mlp::detail
