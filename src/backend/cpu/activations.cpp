// Activation functions on the CPU, each as an (f, f') pair (../formulas.hpp): f(z)
// gives a, and df(z, a) gives da/dz from what forward saved. Softmax, which mixes a row, is
// at the end. The loops: the thread team across rows, the compiler's SIMD along a row.
#include <cmath>

#include "../../backend/ops.hpp"
#include "../device_backend.hpp"
#include "../formulas.hpp"
#include "dispatch.hpp"

namespace mlp::backend {

namespace {

using Kind = ActivationFunction::Kind;

// The (f, f') pairs are in ../formulas.hpp, shared with the CUDA backend.
using formulas::Elu;
using formulas::Gelu;
using formulas::LeakyRelu;
using formulas::Linear;
using formulas::PiecewiseLinear;
using formulas::Relu;
using formulas::Sigmoid;
using formulas::Sign;
using formulas::Step;
using formulas::Tanh;

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
    if (DeviceBackend* device = backend_of("bias_activate", {&z, &bias, &a}))
        return device->bias_activate(z, bias, f, a);
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
    if (DeviceBackend* device = backend_of("activate_backward", {&z, &a, &da, &dz}))
        return device->activate_backward(f, z, a, da, dz);
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
