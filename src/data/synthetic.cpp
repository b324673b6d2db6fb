// Synthetic data sets.
#include "mlp/data/synthetic.hpp"

#include <cmath>
#include <numbers>

#include "mlp/core/error.hpp"
#include "mlp/core/random.hpp"

namespace mlp::data {

namespace {

void check(const char* what, std::int64_t n, std::int64_t least, double noise) {
    if (n < least)
        throw ConfigError(std::string(what) + ": need at least " + std::to_string(least) + " points, got " +
                          std::to_string(n));
    if (!(noise >= 0)) throw ConfigError(std::string(what) + ": noise must be >= 0, got " + std::to_string(noise));
}

Dataset classification(std::int64_t n, std::int64_t features, std::int64_t classes) {
    Dataset d;
    d.x = Tensor(Shape{n, features});
    d.y = Tensor(Shape{n});
    d.classes = classes;
    return d;
}

/// Shuffles rows so that a split without shuffling still sees every class.
void shuffle_rows(Dataset& d, Random& rng) {
    const std::int64_t n = d.size(), w = d.features();
    float* x = d.x.data<float>();
    float* y = d.y.data<float>();
    for (std::int64_t i = n - 1; i > 0; --i) {
        const auto j = static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(i + 1)));
        for (std::int64_t k = 0; k < w; ++k) std::swap(x[w * i + k], x[w * j + k]);
        std::swap(y[i], y[j]);
    }
}

/// A regression set: x (n, 1) uniform in [lo, hi), y = f(x) + noise.
template <class F>
Dataset curve(std::int64_t n, double lo, double hi, double noise, std::uint64_t seed, F f) {
    Random rng(seed);
    Dataset d;
    d.x = Tensor(Shape{n, 1});
    d.y = Tensor(Shape{n, 1});
    for (std::int64_t i = 0; i < n; ++i) {
        const double x = rng.uniform(lo, hi);
        d.x.data<float>()[i] = static_cast<float>(x);
        d.y.data<float>()[i] = static_cast<float>(f(x) + rng.normal(0.0, noise));
    }
    return d;
}

}  // namespace

Dataset xor_gate() { return logic_gate("xor"); }

Dataset logic_gate(const std::string& name) {
    const bool is_and = name == "and", is_or = name == "or", is_xor = name == "xor";
    if (!is_and && !is_or && !is_xor) throw ConfigError("unknown logic gate '" + name + "'; known: and, or, xor");
    Dataset d;
    d.x = Tensor::from<float>(Shape{4, 2}, {0, 0, 0, 1, 1, 0, 1, 1});
    d.y = Tensor(Shape{4, 1});
    for (std::int64_t i = 0; i < 4; ++i) {
        const bool a = d.x.data<float>()[2 * i] > 0, b = d.x.data<float>()[2 * i + 1] > 0;
        d.y.data<float>()[i] = (is_and ? a && b : is_or ? a || b : a != b) ? 1.0f : 0.0f;
    }
    d.classes = 2;
    return d;
}

Dataset xor_quadrants(std::int64_t n, double noise, std::uint64_t seed) {
    check("xor_quadrants", n, 1, noise);
    Random rng(seed);
    Dataset d = classification(n, 2, 2);
    for (std::int64_t i = 0; i < n; ++i) {
        const double a = rng.uniform(-1.0, 1.0), b = rng.uniform(-1.0, 1.0);
        d.x.data<float>()[2 * i] = static_cast<float>(a + rng.normal(0.0, noise));
        d.x.data<float>()[2 * i + 1] = static_cast<float>(b + rng.normal(0.0, noise));
        d.y.data<float>()[i] = a * b > 0 ? 1.0f : 0.0f;
    }
    return d;
}

Dataset moons(std::int64_t n, double noise, std::uint64_t seed) {
    check("moons", n, 2, noise);
    Random rng(seed);
    const std::int64_t outer = n / 2, inner = n - outer;
    Dataset d = classification(n, 2, 2);
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
    shuffle_rows(d, rng);
    return d;
}

Dataset circles(std::int64_t n, double noise, std::uint64_t seed, double factor) {
    check("circles", n, 2, noise);
    if (!(factor > 0 && factor < 1))
        throw ConfigError("circles: factor must be in (0, 1), got " + std::to_string(factor));
    Random rng(seed);
    const std::int64_t outer = n / 2, inner = n - outer;
    Dataset d = classification(n, 2, 2);
    for (std::int64_t i = 0; i < n; ++i) {
        const bool is_outer = i < outer;
        const std::int64_t k = is_outer ? i : i - outer;
        const double t = 2 * std::numbers::pi * static_cast<double>(k) / static_cast<double>(is_outer ? outer : inner);
        const double r = is_outer ? 1.0 : factor;
        d.x.data<float>()[2 * i] = static_cast<float>(r * std::cos(t) + rng.normal(0.0, noise));
        d.x.data<float>()[2 * i + 1] = static_cast<float>(r * std::sin(t) + rng.normal(0.0, noise));
        d.y.data<float>()[i] = is_outer ? 0.0f : 1.0f;
    }
    shuffle_rows(d, rng);
    return d;
}

Dataset spirals(std::int64_t n, int arms, double noise, std::uint64_t seed) {
    if (arms < 2) throw ConfigError("spirals: need at least 2 arms, got " + std::to_string(arms));
    check("spirals", n, arms, noise);
    Random rng(seed);
    Dataset d = classification(n, 2, arms);
    for (std::int64_t i = 0; i < n; ++i) {
        const int arm = static_cast<int>(i % arms);
        const std::int64_t k = i / arms, count = (n - arm + arms - 1) / arms;
        const double r = count > 1 ? static_cast<double>(k) / static_cast<double>(count - 1) : 1.0;
        const double t = 4.0 * (arm + r) + rng.normal(0.0, noise);
        d.x.data<float>()[2 * i] = static_cast<float>(r * std::sin(t));
        d.x.data<float>()[2 * i + 1] = static_cast<float>(r * std::cos(t));
        d.y.data<float>()[i] = static_cast<float>(arm);
    }
    shuffle_rows(d, rng);
    return d;
}

Dataset blobs(std::int64_t n, int centers, std::uint64_t seed, int features, double stddev) {
    if (centers < 1 || features < 1)
        throw ConfigError("blobs: centers and features must be >= 1, got " + std::to_string(centers) + " and " +
                          std::to_string(features));
    check("blobs", n, centers, stddev);
    Random rng(seed);
    std::vector<double> middle(static_cast<std::size_t>(centers * features));
    for (double& m : middle) m = rng.uniform(-10.0, 10.0);
    Dataset d = classification(n, features, centers);
    for (std::int64_t i = 0; i < n; ++i) {
        const std::int64_t c = i % centers;
        for (std::int64_t j = 0; j < features; ++j)
            d.x.data<float>()[i * features + j] =
                static_cast<float>(middle[static_cast<std::size_t>(c * features + j)] + rng.normal(0.0, stddev));
        d.y.data<float>()[i] = static_cast<float>(c);
    }
    shuffle_rows(d, rng);
    return d;
}

Dataset sine(std::int64_t n, double noise, std::uint64_t seed) {
    check("sine", n, 1, noise);
    return curve(n, -std::numbers::pi, std::numbers::pi, noise, seed, [](double x) { return std::sin(x); });
}

Dataset sine_windows(std::int64_t n, std::int64_t window, double noise, std::uint64_t seed) {
    check("sine_windows", n, 1, noise);
    if (window < 1) throw ConfigError("sine_windows: window must be >= 1, got " + std::to_string(window));
    Random rng(seed);
    Dataset d{.x = Tensor(Shape{n, window}), .y = Tensor(Shape{n, 1})};
    for (std::int64_t i = 0; i < n; ++i) {
        const double start = rng.uniform(0, 100);
        for (std::int64_t t = 0; t < window; ++t)
            d.x.data<float>()[i * window + t] = static_cast<float>(std::sin(0.3 * (start + t)) + rng.normal(0, noise));
        d.y.data<float>()[i] = static_cast<float>(std::sin(0.3 * (start + window)));
    }
    return d;
}

Dataset polynomial(std::int64_t n, const std::vector<double>& coefficients, double noise, std::uint64_t seed) {
    check("polynomial", n, 1, noise);
    if (coefficients.empty()) throw ConfigError("polynomial: give at least one coefficient");
    return curve(n, -1.0, 1.0, noise, seed, [&](double x) {
        double y = 0;
        for (auto c = coefficients.rbegin(); c != coefficients.rend(); ++c) y = y * x + *c;  // Horner
        return y;
    });
}

}  // namespace mlp::data
