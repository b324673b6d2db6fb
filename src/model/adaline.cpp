// Adaline: the cost J = (1/N) Σ (z - y)², z = x·w + b, and its gradient
// dJ/dw = (2/N) Xᵀ(z - y), dJ/db = (2/N) Σ(z - y), one step per epoch on the whole set.
#include "mlp/model/adaline.hpp"

#include <cmath>

#include "linear_units.hpp"
#include "mlp/core/error.hpp"

namespace mlp {

Adaline::Adaline(std::int64_t inputs, AdalineOptions options)
    : options_(options), w_(static_cast<std::size_t>(inputs > 0 ? inputs : 0), 0.0) {
    if (inputs <= 0) throw ConfigError("Adaline: inputs must be positive, got " + std::to_string(inputs));
    if (!(options.lr > 0)) throw ConfigError("Adaline: lr must be > 0, got " + std::to_string(options.lr));
    if (options.epochs < 1) throw ConfigError("Adaline: epochs must be >= 1, got " + std::to_string(options.epochs));
}

std::vector<double> Adaline::fit(const TensorView& x, const TensorView& y) {
    detail::check_linear_unit_data("Adaline::fit", x, y, inputs());
    const std::int64_t n = x.rows(), d = inputs();
    std::vector<double> costs;
    std::vector<double> dw(static_cast<std::size_t>(d));
    for (int epoch = 0; epoch < options_.epochs; ++epoch) {
        const Tensor z = decision_function(x);
        double cost = 0, db = 0;
        std::fill(dw.begin(), dw.end(), 0.0);
        for (std::int64_t i = 0; i < n; ++i) {
            const double error = z.data<double>()[i] - y.item(i);  // z - y
            cost += error * error;
            db += error;
            for (std::int64_t j = 0; j < d; ++j) dw[static_cast<std::size_t>(j)] += error * x.item(i * d + j);
        }
        cost /= static_cast<double>(n);
        if (!std::isfinite(cost))
            throw NumericError("Adaline::fit: the cost is " + std::to_string(cost) + " at epoch " +
                               std::to_string(epoch + 1) + "; lower lr (" + std::to_string(options_.lr) + ")");
        costs.push_back(cost);
        const double step = options_.lr * 2.0 / static_cast<double>(n);
        for (std::int64_t j = 0; j < d; ++j) w_[static_cast<std::size_t>(j)] -= step * dw[static_cast<std::size_t>(j)];
        b_ -= step * db;
    }
    return costs;
}

Tensor Adaline::decision_function(const TensorView& x) const {
    return detail::linear_unit_outputs("Adaline", x, w_, b_);
}

Tensor Adaline::predict(const TensorView& x) const {
    return detail::threshold_outputs(decision_function(x), options_.threshold);
}

double Adaline::score(const TensorView& x, const TensorView& y) const {
    detail::check_linear_unit_data("Adaline::score", x, y, inputs());
    return detail::agreement(predict(x), y, options_.threshold);
}

}  // namespace mlp
