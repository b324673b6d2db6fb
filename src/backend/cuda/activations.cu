// Activation functions on the GPU (cpu/activations.cpp's twin): the same
// (f, f') pairs from ../formulas.hpp, one thread an element; softmax, which
// mixes a row, one warp a row.
#include <cmath>

#include "../formulas.hpp"
#include "launch.cuh"

namespace mlp::backend::cuda {

namespace {

using Kind = ActivationFunction::Kind;

/// Calls visit(Fn{}) with the formulas' pair for an element-wise kind.
template <class Visit>
void visit_kind(Kind kind, Visit&& visit) {
    switch (kind) {
        case Kind::linear: return visit(formulas::Linear{});
        case Kind::step: return visit(formulas::Step{});
        case Kind::sign: return visit(formulas::Sign{});
        case Kind::piecewise_linear: return visit(formulas::PiecewiseLinear{});
        case Kind::sigmoid: return visit(formulas::Sigmoid{});
        case Kind::tanh: return visit(formulas::Tanh{});
        case Kind::relu: return visit(formulas::Relu{});
        case Kind::leaky_relu: return visit(formulas::LeakyRelu{});
        case Kind::elu: return visit(formulas::Elu{});
        case Kind::gelu: return visit(formulas::Gelu{});
        case Kind::softmax: break;  // not element-wise: the callers take it
    }
}

template <class Fn, class T>
void forward_elements(T* z, const T* bias, T* a, std::int64_t n, std::int64_t cols, T alpha) {
    for_each(n, [=] __device__(std::int64_t i) {
        if (bias) z[i] += bias[i % cols];
        a[i] = Fn::f(z[i], alpha);
    });
}

template <class Fn, class T>
void backward_elements(const T* z, const T* a, const T* da, T* dz, std::int64_t n, T alpha) {
    for_each(n, [=] __device__(std::int64_t i) { dz[i] = da[i] * Fn::df(z[i], a[i], alpha); });
}

// Softmax: a_i = e^(z_i - max z) / Σ_j e^(z_j - max z); each lane keeps to its own columns.
template <class T>
void softmax_rows(T* z, const T* bias, T* a, std::int64_t rows, std::int64_t cols) {
    for_each_row(rows, [=] __device__(std::int64_t r, int lane) {
        T* zr = z + r * cols;
        T* ar = a + r * cols;
        T m = -INFINITY;
        for (std::int64_t j = lane; j < cols; j += 32) {
            if (bias) zr[j] += bias[j];
            m = zr[j] > m ? zr[j] : m;
        }
        m = warp_max(m);
        T sum = 0;
        for (std::int64_t j = lane; j < cols; j += 32) sum += (ar[j] = std::exp(zr[j] - m));
        const T inv = T(1) / warp_sum(sum);
        for (std::int64_t j = lane; j < cols; j += 32) ar[j] *= inv;
    });
}

// Softmax backward: dz_i = a_i (da_i - Σ_j da_j a_j).
template <class T>
void softmax_backward_rows(const T* a, const T* da, T* dz, std::int64_t rows, std::int64_t cols) {
    for_each_row(rows, [=] __device__(std::int64_t r, int lane) {
        const T* ar = a + r * cols;
        const T* dar = da + r * cols;
        T* dzr = dz + r * cols;
        T dot = 0;
        for (std::int64_t j = lane; j < cols; j += 32) dot += dar[j] * ar[j];
        dot = warp_sum(dot);
        for (std::int64_t j = lane; j < cols; j += 32) dzr[j] = ar[j] * (dar[j] - dot);
    });
}

template <class T>
void bias_activate_typed(const TensorView& z, const TensorView& bias, const ActivationFunction& f,
                         const TensorView& a) {
    const T* b = data_or_null<T>(bias);
    if (f.is(Kind::softmax)) return softmax_rows<T>(z.data<T>(), b, a.data<T>(), z.rows(), z.cols());
    visit_kind(f.kind(), [&]<class Fn>(Fn) {
        forward_elements<Fn, T>(z.data<T>(), b, a.data<T>(), z.numel(), z.cols(), static_cast<T>(f.alpha()));
    });
}

template <class T>
void activate_backward_typed(const ActivationFunction& f, const TensorView& z, const TensorView& a,
                             const TensorView& da, const TensorView& dz) {
    if (f.is(Kind::softmax))
        return softmax_backward_rows<T>(a.data<T>(), da.data<T>(), dz.data<T>(), a.rows(), a.cols());
    visit_kind(f.kind(), [&]<class Fn>(Fn) {
        backward_elements<Fn, T>(z.data<T>(), a.data<T>(), da.data<T>(), dz.data<T>(), z.numel(),
                                 static_cast<T>(f.alpha()));
    });
}

}  // namespace

void CudaBackend::bias_activate(const TensorView& z, const TensorView& bias, const ActivationFunction& f,
                                const TensorView& a) {
    const int device = use_device(a);
    if (z.numel() == 0) return;
    z.dtype() == DType::f32 ? bias_activate_typed<float>(z, bias, f, a) : bias_activate_typed<double>(z, bias, f, a);
    check(cudaGetLastError(), "bias_activate", device);
}

void CudaBackend::activate_backward(const ActivationFunction& f, const TensorView& z, const TensorView& a,
                                    const TensorView& da, const TensorView& dz) {
    const int device = use_device(dz);
    if (dz.numel() == 0) return;
    z.dtype() == DType::f32 ? activate_backward_typed<float>(f, z, a, da, dz)
                            : activate_backward_typed<double>(f, z, a, da, dz);
    check(cudaGetLastError(), "activate_backward", device);
}

}  // namespace mlp::backend::cuda
