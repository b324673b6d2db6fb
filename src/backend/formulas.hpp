// The per-element equations of the op set, written once for both backends:
// cpu/ calls them inside its vectorized loops and cuda/ inside its kernels, so
// an activation, a loss term, an optimizer update or a dropout mask is the same
// expression on either device, and the CPU tests check the GPU's formulas too.
// Only the loops around them (threads, blocks, reductions) differ.
#pragma once

#include <cmath>
#include <cstdint>

#ifdef __CUDACC__
#define MLP_HOST_DEVICE __host__ __device__
#else
#define MLP_HOST_DEVICE
#endif

namespace mlp::backend::formulas {

// ---- activations: f(z) gives a; df(z, a) gives da/dz from what forward saved ----

// One line per f and per f', as the equations are written:
// clang-format off
struct Linear {  // f = z
    template <class T> MLP_HOST_DEVICE static T f(T z, T) { return z; }
    template <class T> MLP_HOST_DEVICE static T df(T, T, T) { return T(1); }
};
struct Step {  // Heaviside; flat on both sides of the jump, so f' = 0 almost everywhere
    template <class T> MLP_HOST_DEVICE static T f(T z, T) { return z >= T(0) ? T(1) : T(0); }
    template <class T> MLP_HOST_DEVICE static T df(T, T, T) { return T(0); }
};
struct Sign {  // -1, 0, +1; f' = 0 almost everywhere
    template <class T> MLP_HOST_DEVICE static T f(T z, T) { return z > T(0) ? T(1) : (z < T(0) ? T(-1) : T(0)); }
    template <class T> MLP_HOST_DEVICE static T df(T, T, T) { return T(0); }
};
struct PiecewiseLinear {  // clip(z + 1/2, 0, 1); slope 1 between -1/2 and 1/2
    template <class T> MLP_HOST_DEVICE static T f(T z, T) { return z <= T(-0.5) ? T(0) : (z >= T(0.5) ? T(1) : z + T(0.5)); }
    template <class T> MLP_HOST_DEVICE static T df(T z, T, T) { return (z > T(-0.5) && z < T(0.5)) ? T(1) : T(0); }
};
struct Sigmoid {  // 1/(1+e^-z), written so that e^x never overflows; f' = a(1-a)
    template <class T> MLP_HOST_DEVICE static T f(T z, T) {
        const T e = std::exp(-std::abs(z));
        return z >= T(0) ? T(1) / (T(1) + e) : e / (T(1) + e);
    }
    template <class T> MLP_HOST_DEVICE static T df(T, T a, T) { return a * (T(1) - a); }
};
struct Tanh {  // f' = 1 - a²
    template <class T> MLP_HOST_DEVICE static T f(T z, T) { return std::tanh(z); }
    template <class T> MLP_HOST_DEVICE static T df(T, T a, T) { return T(1) - a * a; }
};
struct Relu {  // max(0, z); f' = [z > 0]
    template <class T> MLP_HOST_DEVICE static T f(T z, T) { return z > T(0) ? z : T(0); }
    template <class T> MLP_HOST_DEVICE static T df(T z, T, T) { return z > T(0) ? T(1) : T(0); }
};
struct LeakyRelu {  // z or αz; f' = 1 or α
    template <class T> MLP_HOST_DEVICE static T f(T z, T alpha) { return z > T(0) ? z : alpha * z; }
    template <class T> MLP_HOST_DEVICE static T df(T z, T, T alpha) { return z > T(0) ? T(1) : alpha; }
};
struct Elu {  // z or α(e^z - 1); f' = 1 or αe^z = a + α
    template <class T> MLP_HOST_DEVICE static T f(T z, T alpha) { return z > T(0) ? z : alpha * std::expm1(z); }
    template <class T> MLP_HOST_DEVICE static T df(T z, T a, T alpha) { return z > T(0) ? T(1) : a + alpha; }
};
struct Gelu {  // z Φ(z); f' = Φ(z) + z φ(z)
    static constexpr double sqrt2 = 1.4142135623730950488, sqrt_2pi = 2.5066282746310005024;
    template <class T> MLP_HOST_DEVICE static T cdf(T z) { return T(0.5) * std::erfc(-z / T(sqrt2)); }
    template <class T> MLP_HOST_DEVICE static T f(T z, T) { return z * cdf(z); }
    template <class T> MLP_HOST_DEVICE static T df(T z, T, T) {
        const T pdf = std::exp(T(-0.5) * z * z) / T(sqrt_2pi);
        return cdf(z) + z * pdf;
    }
};
// clang-format on

// ---- dropout ----

/// A uniform double in [0, 1) from (seed, i): SplitMix64's finalizer. A mask
/// element depends only on the seed and its number, never on threads or device.
MLP_HOST_DEVICE inline double hash_uniform(std::uint64_t seed, std::uint64_t i) {
    std::uint64_t z = seed + (i + 1) * 0x9E3779B97F4A7C15ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    z ^= z >> 31;
    return static_cast<double>(z >> 11) * 0x1.0p-53;
}

/// Dropout's stream for its `calls`-th mask: one per training forward, mixed
/// from the layer's seed and the call count.
MLP_HOST_DEVICE inline std::uint64_t dropout_stream(std::uint64_t seed, double calls) {
    return seed ^ (static_cast<std::uint64_t>(calls) * 0xD1B54A32D192ED03ULL);
}

// ---- loss terms: each returns one element's loss and sets g to its dL/dpred
// (before the mean's 1/n and the sample weight) ----

/// Probabilities are clipped to [ε, 1-ε] before the log, as Keras does.
constexpr double prob_epsilon = 1e-7;

MLP_HOST_DEVICE inline double clip_probability(double p) {
    return p < prob_epsilon ? prob_epsilon : (p > 1.0 - prob_epsilon ? 1.0 - prob_epsilon : p);
}

struct SquaredError {  // (p - t)²; 2 (p - t)
    MLP_HOST_DEVICE double operator()(double p, double t, double& g) const {
        g = 2.0 * (p - t);
        return (p - t) * (p - t);
    }
};
struct AbsoluteError {  // |p - t|; sign(p - t)
    MLP_HOST_DEVICE double operator()(double p, double t, double& g) const {
        g = p > t ? 1.0 : (p < t ? -1.0 : 0.0);
        return std::abs(p - t);
    }
};
struct HuberError {  // ½d² for |d| <= δ, δ(|d| - ½δ) beyond; d or δ sign(d)
    double delta;
    MLP_HOST_DEVICE double operator()(double p, double t, double& g) const {
        const double d = p - t;
        if (std::abs(d) <= delta) {
            g = d;
            return 0.5 * d * d;
        }
        g = d > 0 ? delta : -delta;
        return delta * (std::abs(d) - 0.5 * delta);
    }
};
struct BinaryCrossentropy {  // -(t log p + (1-t) log(1-p)); (p - t) / (p (1-p)), flat where clipped
    MLP_HOST_DEVICE double operator()(double p, double t, double& g) const {
        const double pc = clip_probability(p);
        g = (p == pc) ? (pc - t) / (pc * (1.0 - pc)) : 0.0;
        return -(t * std::log(pc) + (1.0 - t) * std::log(1.0 - pc));
    }
};
struct BinaryCrossentropyLogits {  // max(z,0) - z t + log(1 + e^-|z|); σ(z) - t
    MLP_HOST_DEVICE double operator()(double z, double t, double& g) const {
        const double e = std::exp(-std::abs(z));
        g = (z >= 0 ? 1.0 / (1.0 + e) : e / (1.0 + e)) - t;
        return (z > 0.0 ? z : 0.0) - z * t + std::log1p(e);
    }
};
struct CategoricalCrossentropy {  // -t log p; -t / p, flat where clipped (the mean is over rows)
    MLP_HOST_DEVICE double operator()(double p, double t, double& g) const {
        const double pc = clip_probability(p);
        g = (p == pc) ? -t / pc : 0.0;
        return -t * std::log(pc);
    }
};

// ---- optimizer updates of one parameter ----

/// PyTorch's SGD with momentum μ: v = μ v + g; p -= lr (nesterov ? g + μ v : v).
template <class T>
MLP_HOST_DEVICE inline void sgd_momentum_update(T& p, T g, T& v, T lr, T mu, bool nesterov) {
    v = mu * v + g;
    p -= lr * (nesterov ? g + mu * v : v);
}

/// Adam's constants for one step, in T, computed once on the host.
template <class T>
struct AdamConstants {
    T beta1, beta2, one_minus_beta1, one_minus_beta2, epsilon;
    T step_size;    ///< lr / (1 - β1^t)
    T inv_sqrt_c2;  ///< 1 / sqrt(1 - β2^t)
    T decay;        ///< 1 - lr·weight_decay (AdamW's decoupled decay)

    /// For step t >= 1. 1 - β is taken in double and rounded once (as PyTorch
    /// does): 1 - float(0.999) is 1.3e-5 off 0.001.
    static AdamConstants make(double lr, double beta1, double beta2, double epsilon, double weight_decay,
                              std::int64_t step) {
        const double correction1 = 1.0 - std::pow(beta1, static_cast<double>(step));
        const double correction2 = 1.0 - std::pow(beta2, static_cast<double>(step));
        return {static_cast<T>(beta1),
                static_cast<T>(beta2),
                static_cast<T>(1.0 - beta1),
                static_cast<T>(1.0 - beta2),
                static_cast<T>(epsilon),
                static_cast<T>(lr / correction1),
                static_cast<T>(1.0 / std::sqrt(correction2)),
                static_cast<T>(1.0 - lr * weight_decay)};
    }
};
/// m = β1 m + (1-β1) g; v = β2 v + (1-β2) g²; v̂ = max(v̂, v) (v̂ is v itself
/// without amsgrad); p = p·decay - step_size · m / (sqrt(v̂)/sqrt(1-β2^t) + ε).
template <class T>
MLP_HOST_DEVICE inline void adam_update(T& p, T g, T& m, T& v, T& v_hat, const AdamConstants<T>& c) {
    m = c.beta1 * m + c.one_minus_beta1 * g;
    v = c.beta2 * v + c.one_minus_beta2 * g * g;
    v_hat = v_hat > v ? v_hat : v;
    p = p * c.decay - c.step_size * m / (std::sqrt(v_hat) * c.inv_sqrt_c2 + c.epsilon);
}

/// RMSprop: s = ρ s + (1-ρ) g²; centered (a not null): a = ρ a + (1-ρ) g, s̃ = s - a²;
/// d = g / (sqrt(s̃) + ε); with momentum (b not null) b = μ b + d, p -= lr b; else p -= lr d.
template <class T>
MLP_HOST_DEVICE inline void rmsprop_update(T& p, T g, T& s, T* a, T* b, T lr, T rho, T one_minus_rho, T epsilon, T mu) {
    s = rho * s + one_minus_rho * g * g;
    T spread = s;
    if (a) {
        *a = rho * *a + one_minus_rho * g;
        spread -= *a * *a;
    }
    const T d = g / (std::sqrt(spread) + epsilon);
    if (b) {
        *b = mu * *b + d;
        p -= lr * *b;
    } else {
        p -= lr * d;
    }
}

/// Adagrad: s += g²; p -= lr g / (sqrt(s) + ε).
template <class T>
MLP_HOST_DEVICE inline void adagrad_update(T& p, T g, T& s, T lr, T epsilon) {
    s += g * g;
    p -= lr * g / (std::sqrt(s) + epsilon);
}

// ---- batch normalization ----

/// x̂ = (x - mean) · inv_std, y = gamma x̂ + beta.
template <class T>
MLP_HOST_DEVICE inline void normalize_element(T x, double mean, T inv_std, T gamma, T beta, T& x_hat, T& y) {
    const T h = static_cast<T>((static_cast<double>(x) - mean) * inv_std);
    x_hat = h;
    y = gamma * h + beta;
}

/// One element of dL/dx, from its column's sums of dy and dy x̂ over the batch's n rows.
template <class T>
MLP_HOST_DEVICE inline T normalization_dx(T dy, T x_hat, double gamma, T inv_std, double sum_dy, double sum_dy_xh,
                                          double n) {
    const double scale = gamma * static_cast<double>(inv_std) / n;
    return static_cast<T>(scale * (n * static_cast<double>(dy) - sum_dy - static_cast<double>(x_hat) * sum_dy_xh));
}

/// Inference: y = (x - mean) · γ / sqrt(var + ε) + β.
template <class T>
MLP_HOST_DEVICE inline T batchnorm_infer_element(T x, T mean, T var, T gamma, T beta, double epsilon) {
    const T scale = gamma / static_cast<T>(std::sqrt(static_cast<double>(var) + epsilon));
    return (x - mean) * scale + beta;
}

}  // namespace mlp::backend::formulas
