// Activation functions on the CPU, each as an (f, f') pair: f(z) gives a, and
// df(z, a) gives da/dz from what forward saved. Softmax, which mixes a row, is
// at the end. The loops: the thread team across rows, the compiler's SIMD along a row.
#include <cmath>
#include <numbers>

#include "../../backend/ops.hpp"
#include "dispatch.hpp"

namespace mlp::backend {

namespace {

using Kind = ActivationFunction::Kind;

struct Linear {  // f = z
    template <class T> static T f(T z, T) { return z; }
    template <class T> static T df(T, T, T) { return T(1); }
};
struct Step {  // Heaviside; flat on both sides of the jump, so f' = 0 almost everywhere
    template <class T> static T f(T z, T) { return z >= T(0) ? T(1) : T(0); }
    template <class T> static T df(T, T, T) { return T(0); }
};
struct Sign {  // -1, 0, +1; f' = 0 almost everywhere
    template <class T> static T f(T z, T) { return z > T(0) ? T(1) : (z < T(0) ? T(-1) : T(0)); }
    template <class T> static T df(T, T, T) { return T(0); }
};
struct PiecewiseLinear {  // clip(z + 1/2, 0, 1); slope 1 between -1/2 and 1/2
    template <class T> static T f(T z, T) { return z <= T(-0.5) ? T(0) : (z >= T(0.5) ? T(1) : z + T(0.5)); }
    template <class T> static T df(T z, T, T) { return (z > T(-0.5) && z < T(0.5)) ? T(1) : T(0); }
};
struct Sigmoid {  // 1/(1+e^-z), written so that e^x never overflows; f' = a(1-a)
    template <class T> static T f(T z, T) {
        const T e = std::exp(-std::abs(z));
        return z >= T(0) ? T(1) / (T(1) + e) : e / (T(1) + e);
    }
    template <class T> static T df(T, T a, T) { return a * (T(1) - a); }
};
struct Tanh {  // f' = 1 - a²
    template <class T> static T f(T z, T) { return std::tanh(z); }
    template <class T> static T df(T, T a, T) { return T(1) - a * a; }
};
struct Relu {  // max(0, z); f' = [z > 0]
    template <class T> static T f(T z, T) { return z > T(0) ? z : T(0); }
    template <class T> static T df(T z, T, T) { return z > T(0) ? T(1) : T(0); }
};
struct LeakyRelu {  // z or αz; f' = 1 or α
    template <class T> static T f(T z, T alpha) { return z > T(0) ? z : alpha * z; }
    template <class T> static T df(T z, T, T alpha) { return z > T(0) ? T(1) : alpha; }
};
struct Elu {  // z or α(e^z - 1); f' = 1 or αe^z = a + α
    template <class T> static T f(T z, T alpha) { return z > T(0) ? z : alpha * std::expm1(z); }
    template <class T> static T df(T z, T a, T alpha) { return z > T(0) ? T(1) : a + alpha; }
};
struct Gelu {  // z Φ(z); f' = Φ(z) + z φ(z)
    template <class T> static T cdf(T z) { return T(0.5) * std::erfc(-z / std::numbers::sqrt2_v<T>); }
    template <class T> static T f(T z, T) { return z * cdf(z); }
    template <class T> static T df(T z, T, T) {
        const T pdf = std::exp(T(-0.5) * z * z) / std::sqrt(T(2) * std::numbers::pi_v<T>);
        return cdf(z) + z * pdf;
    }
};

template <class Fn, class T>
void forward_rows(T* z, const T* bias, T* a, std::int64_t rows, std::int64_t cols, T alpha) {
    cpu::parallel_for(rows, rows * cols, [&](std::int64_t r) {
        T* zr = z + r * cols;
        T* ar = a + r * cols;
        if (bias) {
#pragma omp simd
            for (std::int64_t j = 0; j < cols; ++j) zr[j] += bias[j];
        }
#pragma omp simd
        for (std::int64_t j = 0; j < cols; ++j) ar[j] = Fn::f(zr[j], alpha);
    });
}

template <class Fn, class T>
void backward_elements(const T* z, const T* a, const T* da, T* dz, std::int64_t n, T alpha) {
    cpu::parallel_for_simd(n, [=](std::int64_t i) { dz[i] = da[i] * Fn::df(z[i], a[i], alpha); });
}

// Softmax: a_i = e^(z_i - max z) / Σ_j e^(z_j - max z); subtracting the max keeps e^x finite.
template <class T>
void softmax_rows(T* z, const T* bias, T* a, std::int64_t rows, std::int64_t cols) {
    cpu::parallel_for(rows, rows * cols, [&](std::int64_t r) {
        T* zr = z + r * cols;
        T* ar = a + r * cols;
        if (bias)
            for (std::int64_t j = 0; j < cols; ++j) zr[j] += bias[j];
        T m = zr[0];
        for (std::int64_t j = 1; j < cols; ++j) m = zr[j] > m ? zr[j] : m;
        T sum = 0;
        for (std::int64_t j = 0; j < cols; ++j) sum += (ar[j] = std::exp(zr[j] - m));
        const T inv = T(1) / sum;
        for (std::int64_t j = 0; j < cols; ++j) ar[j] *= inv;
    });
}

// Softmax backward: dz_i = a_i (da_i - Σ_j da_j a_j), the Jacobian-vector product of one row.
template <class T>
void softmax_backward_rows(const T* a, const T* da, T* dz, std::int64_t rows, std::int64_t cols) {
    cpu::parallel_for(rows, rows * cols, [&](std::int64_t r) {
        const T* ar = a + r * cols;
        const T* dar = da + r * cols;
        T* dzr = dz + r * cols;
        T dot = 0;
        for (std::int64_t j = 0; j < cols; ++j) dot += dar[j] * ar[j];
        for (std::int64_t j = 0; j < cols; ++j) dzr[j] = ar[j] * (dar[j] - dot);
    });
}

template <class T, class Visit>
void visit_kind(Kind kind, Visit&& visit) {
    switch (kind) {
        case Kind::linear: return visit(Linear{});
        case Kind::step: return visit(Step{});
        case Kind::sign: return visit(Sign{});
        case Kind::piecewise_linear: return visit(PiecewiseLinear{});
        case Kind::sigmoid: return visit(Sigmoid{});
        case Kind::tanh: return visit(Tanh{});
        case Kind::relu: return visit(Relu{});
        case Kind::leaky_relu: return visit(LeakyRelu{});
        case Kind::elu: return visit(Elu{});
        case Kind::gelu: return visit(Gelu{});
        case Kind::softmax: break;  // handled by the callers: it is not element-wise
    }
}

}  // namespace

void bias_activate(const TensorView& z, const TensorView& bias, const ActivationFunction& f, const TensorView& a) {
    cpu::check_same_shape("bias_activate", z, a);
    const std::int64_t rows = z.rows();
    const std::int64_t cols = z.cols();
    if (!bias.empty() && (bias.numel() != cols || bias.dtype() != z.dtype()))
        throw ShapeError("bias_activate: bias " + bias.shape().str() + " for z " + z.shape().str());
    cpu::dispatch(z.dtype(), [&]<class T>(T) {
        const T* b = bias.empty() ? nullptr : bias.data<T>();
        if (f.is(Kind::softmax)) return softmax_rows<T>(z.data<T>(), b, a.data<T>(), rows, cols);
        visit_kind<T>(f.kind(), [&]<class Fn>(Fn) {
            forward_rows<Fn, T>(z.data<T>(), b, a.data<T>(), rows, cols, static_cast<T>(f.alpha()));
        });
    });
}

void activate_backward(const ActivationFunction& f, const TensorView& z, const TensorView& a, const TensorView& da,
                       const TensorView& dz) {
    cpu::check_same_shape("activate_backward", z, da);
    cpu::check_same_shape("activate_backward", a, dz);
    cpu::dispatch(z.dtype(), [&]<class T>(T) {
        if (f.is(Kind::softmax))
            return softmax_backward_rows<T>(a.data<T>(), da.data<T>(), dz.data<T>(), a.rows(), a.cols());
        visit_kind<T>(f.kind(), [&]<class Fn>(Fn) {
            backward_elements<Fn, T>(z.data<T>(), a.data<T>(), da.data<T>(), dz.data<T>(), z.numel(),
                                     static_cast<T>(f.alpha()));
        });
    });
}

}  // namespace mlp::backend
