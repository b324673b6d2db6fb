// The perceptron rule, one sample at a time: ŷ = step(x·w + b);
// w += lr (y - ŷ) x, b += lr (y - ŷ). Nothing changes when ŷ = y.
#include "mlp/model/perceptron.hpp"

#include <numeric>

#include "linear_units.hpp"
#include "mlp/core/error.hpp"
#include "mlp/core/random.hpp"

namespace mlp {

Perceptron::Perceptron(std::int64_t inputs, PerceptronOptions options)
    : options_(options), w_(static_cast<std::size_t>(inputs > 0 ? inputs : 0), 0.0) {
    if (inputs <= 0) throw ConfigError("Perceptron: inputs must be positive, got " + std::to_string(inputs));
    if (!(options.lr > 0)) throw ConfigError("Perceptron: lr must be > 0, got " + std::to_string(options.lr));
    if (options.epochs < 1) throw ConfigError("Perceptron: epochs must be >= 1, got " + std::to_string(options.epochs));
}

std::vector<std::int64_t> Perceptron::fit(const TensorView& x, const TensorView& y) {
    detail::check_linear_unit_data("Perceptron::fit", x, y, inputs());
    for (std::int64_t i = 0; i < y.numel(); ++i)
        if (y.item(i) != 0 && y.item(i) != 1)
            throw DataError("Perceptron::fit: y[" + std::to_string(i) + "] = " + std::to_string(y.item(i)) +
                            "; targets must be 0 or 1");
    std::vector<std::int64_t> order(static_cast<std::size_t>(x.rows()));
    std::iota(order.begin(), order.end(), 0);
    Random rng(options_.seed);
    std::vector<std::int64_t> mistakes;
    for (int epoch = 0; epoch < options_.epochs; ++epoch) {
        if (options_.shuffle)
            for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng.below(i)]);
        std::int64_t wrong = 0;
        for (const std::int64_t i : order) {
            double z = b_;
            for (std::int64_t j = 0; j < inputs(); ++j) z += x.item(i * inputs() + j) * w_[static_cast<std::size_t>(j)];
            const double error = y.item(i) - (z >= 0 ? 1.0 : 0.0);  // -1, 0 or 1
            if (error == 0) continue;
            ++wrong;
            for (std::int64_t j = 0; j < inputs(); ++j)
                w_[static_cast<std::size_t>(j)] += options_.lr * error * x.item(i * inputs() + j);
            b_ += options_.lr * error;
        }
        mistakes.push_back(wrong);
        if (wrong == 0) break;  // converged: every sample on its side
    }
    return mistakes;
}

Tensor Perceptron::decision_function(const TensorView& x) const {
    return detail::linear_unit_outputs("Perceptron", x, w_, b_);
}

Tensor Perceptron::predict(const TensorView& x) const { return detail::threshold_outputs(decision_function(x), 0.0); }

double Perceptron::score(const TensorView& x, const TensorView& y) const {
    detail::check_linear_unit_data("Perceptron::score", x, y, inputs());
    return detail::agreement(predict(x), y, 0.5);
}

}  // namespace mlp
