// Synthetic data sets.
#include "mlp/data/synthetic.hpp"

#include <cmath>
#include <numbers>

#include "mlp/core/error.hpp"
#include "mlp/core/random.hpp"

namespace mlp::data {

Dataset xor_gate() {
    Dataset d;
    d.x = Tensor::from<float>(Shape{4, 2}, {0, 0, 0, 1, 1, 0, 1, 1});
    d.y = Tensor::from<float>(Shape{4, 1}, {0, 1, 1, 0});
    d.classes = 2;
    return d;
}

Dataset moons(std::int64_t n, double noise, std::uint64_t seed) {
    if (n < 2) throw ConfigError("moons: need at least 2 points, got " + std::to_string(n));
    if (noise < 0) throw ConfigError("moons: noise must be >= 0, got " + std::to_string(noise));
    Random rng(seed);
    const std::int64_t outer = n / 2, inner = n - outer;
    Dataset d;
    d.x = Tensor(Shape{n, 2});
    d.y = Tensor(Shape{n});
    d.classes = 2;
    float* x = d.x.data<float>();
    float* y = d.y.data<float>();
    // Points evenly along each half circle (as scikit-learn), then noise.
    for (std::int64_t i = 0; i < n; ++i) {
        const bool upper = i < outer;
        const std::int64_t k = upper ? i : i - outer;
        const std::int64_t count = upper ? outer : inner;
        const double t = count > 1 ? std::numbers::pi * static_cast<double>(k) / static_cast<double>(count - 1) : 0.0;
        const double px = upper ? std::cos(t) : 1.0 - std::cos(t);
        const double py = upper ? std::sin(t) : 0.5 - std::sin(t);
        x[2 * i] = static_cast<float>(px + rng.normal(0.0, noise));
        x[2 * i + 1] = static_cast<float>(py + rng.normal(0.0, noise));
        y[i] = upper ? 0.0f : 1.0f;
    }
    // Shuffle rows so that a split without shuffling still sees both moons.
    for (std::int64_t i = n - 1; i > 0; --i) {
        const auto j = static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(i + 1)));
        std::swap(x[2 * i], x[2 * j]);
        std::swap(x[2 * i + 1], x[2 * j + 1]);
        std::swap(y[i], y[j]);
    }
    return d;
}

}  // namespace mlp::data
