// Optimizer updates on the GPU (cpu/optimizers.cpp's twin): one kernel over the
// flat parameter arena, its gradient arena and the state arenas, each thread
// applying ../formulas.hpp's update to one parameter.
#include "../formulas.hpp"
#include "launch.cuh"

namespace mlp::backend::cuda {

namespace {

template <class T>
void sgd_typed(const TensorView& params, const TensorView& grads, const TensorView& velocity, double lr,
               double momentum, bool nesterov) {
    T* p = params.data<T>();
    const T* g = grads.data<T>();
    const T eta = static_cast<T>(lr), mu = static_cast<T>(momentum);
    if (momentum == 0.0) return for_each(params.numel(), [=] __device__(std::int64_t i) { p[i] -= eta * g[i]; });
    T* v = velocity.data<T>();
    for_each(params.numel(),
             [=] __device__(std::int64_t i) { formulas::sgd_momentum_update(p[i], g[i], v[i], eta, mu, nesterov); });
}

template <class T>
void adam_typed(const TensorView& params, const TensorView& grads, const TensorView& m, const TensorView& v,
                const TensorView& v_max, const AdamStep& h) {
    T* p = params.data<T>();
    const T* g = grads.data<T>();
    T* mp = m.data<T>();
    T* vp = v.data<T>();
    T* vm = v_max.empty() ? vp : v_max.data<T>();  // without amsgrad, v̂ is v itself
    const auto c = formulas::AdamConstants<T>::make(h.lr, h.beta1, h.beta2, h.epsilon, h.weight_decay, h.step);
    for_each(params.numel(),
             [=] __device__(std::int64_t i) { formulas::adam_update(p[i], g[i], mp[i], vp[i], vm[i], c); });
}

template <class T>
void rmsprop_typed(const TensorView& params, const TensorView& grads, const TensorView& square_avg,
                   const TensorView& grad_avg, const TensorView& momentum_buffer, double lr, double rho, double epsilon,
                   double momentum) {
    T* p = params.data<T>();
    const T* g = grads.data<T>();
    T* s = square_avg.data<T>();
    T* a = data_or_null<T>(grad_avg);
    T* b = data_or_null<T>(momentum_buffer);
    const T eta = static_cast<T>(lr), r = static_cast<T>(rho), w = static_cast<T>(1.0 - rho),
            eps = static_cast<T>(epsilon), mu = static_cast<T>(momentum);
    for_each(params.numel(), [=] __device__(std::int64_t i) {
        formulas::rmsprop_update(p[i], g[i], s[i], a ? a + i : nullptr, b ? b + i : nullptr, eta, r, w, eps, mu);
    });
}

template <class T>
void adagrad_typed(const TensorView& params, const TensorView& grads, const TensorView& sum, double lr,
                   double epsilon) {
    T* p = params.data<T>();
    const T* g = grads.data<T>();
    T* s = sum.data<T>();
    const T eta = static_cast<T>(lr), eps = static_cast<T>(epsilon);
    for_each(params.numel(), [=] __device__(std::int64_t i) { formulas::adagrad_update(p[i], g[i], s[i], eta, eps); });
}

}  // namespace

void CudaBackend::sgd_step(const TensorView& params, const TensorView& grads, const TensorView& velocity, double lr,
                           double momentum, bool nesterov) {
    const int device = use_device(params);
    params.dtype() == DType::f32 ? sgd_typed<float>(params, grads, velocity, lr, momentum, nesterov)
                                 : sgd_typed<double>(params, grads, velocity, lr, momentum, nesterov);
    check(cudaGetLastError(), "sgd_step", device);
}

void CudaBackend::adam_step(const TensorView& params, const TensorView& grads, const TensorView& m, const TensorView& v,
                            const TensorView& v_max, const AdamStep& h) {
    const int device = use_device(params);
    params.dtype() == DType::f32 ? adam_typed<float>(params, grads, m, v, v_max, h)
                                 : adam_typed<double>(params, grads, m, v, v_max, h);
    check(cudaGetLastError(), "adam_step", device);
}

void CudaBackend::rmsprop_step(const TensorView& params, const TensorView& grads, const TensorView& square_avg,
                               const TensorView& grad_avg, const TensorView& momentum_buffer, double lr, double rho,
                               double epsilon, double momentum) {
    const int device = use_device(params);
    params.dtype() == DType::f32
        ? rmsprop_typed<float>(params, grads, square_avg, grad_avg, momentum_buffer, lr, rho, epsilon, momentum)
        : rmsprop_typed<double>(params, grads, square_avg, grad_avg, momentum_buffer, lr, rho, epsilon, momentum);
    check(cudaGetLastError(), "rmsprop_step", device);
}

void CudaBackend::adagrad_step(const TensorView& params, const TensorView& grads, const TensorView& sum, double lr,
                               double epsilon) {
    const int device = use_device(params);
    params.dtype() == DType::f32 ? adagrad_typed<float>(params, grads, sum, lr, epsilon)
                                 : adagrad_typed<double>(params, grads, sum, lr, epsilon);
    check(cudaGetLastError(), "adagrad_step", device);
}

}  // namespace mlp::backend::cuda
