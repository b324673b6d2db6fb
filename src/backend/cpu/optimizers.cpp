// Optimizer updates: one vectorized, parallel loop over the flat parameter
// arena, its gradient arena and the state arenas; the update of one parameter
// is in ../formulas.hpp, shared with the CUDA backend.
#include <cmath>

#include "../../backend/ops.hpp"
#include "../device_backend.hpp"
#include "../formulas.hpp"
#include "dispatch.hpp"

namespace mlp::backend {

void sgd_step(const TensorView& params, const TensorView& grads, const TensorView& velocity, double lr, double momentum,
              bool nesterov) {
    cpu::check_same_shape("sgd_step", params, grads);
    if (momentum != 0.0) cpu::check_same_shape("sgd_step", params, velocity);
    if (DeviceBackend* device = backend_of("sgd_step", {&params, &grads, &velocity}))
        return device->sgd_step(params, grads, velocity, lr, momentum, nesterov);
    cpu::dispatch(params.dtype(), [&]<class T>(T) {
        T* p = params.data<T>();
        const T* g = grads.data<T>();
        const std::int64_t n = params.numel();
        const T eta = static_cast<T>(lr);
        if (momentum == 0.0) {
            cpu::parallel_for_simd(n, [=](std::int64_t i) { p[i] -= eta * g[i]; });
            return;
        }
        T* v = velocity.data<T>();
        const T mu = static_cast<T>(momentum);
        // One loop per branch, so that each vectorizes without a test per element.
        if (nesterov)
            cpu::parallel_for_simd(
                n, [=](std::int64_t i) { formulas::sgd_momentum_update(p[i], g[i], v[i], eta, mu, true); });
        else
            cpu::parallel_for_simd(
                n, [=](std::int64_t i) { formulas::sgd_momentum_update(p[i], g[i], v[i], eta, mu, false); });
    });
}

void adam_step(const TensorView& params, const TensorView& grads, const TensorView& m, const TensorView& v,
               const TensorView& v_max, const AdamStep& h) {
    cpu::check_same_shape("adam_step", params, grads);
    cpu::check_same_shape("adam_step", params, m);
    cpu::check_same_shape("adam_step", params, v);
    const bool amsgrad = !v_max.empty();
    if (amsgrad) cpu::check_same_shape("adam_step", params, v_max);
    if (DeviceBackend* device = backend_of("adam_step", {&params, &grads, &m, &v, &v_max}))
        return device->adam_step(params, grads, m, v, v_max, h);
    cpu::dispatch(params.dtype(), [&]<class T>(T) {
        T* p = params.data<T>();
        const T* g = grads.data<T>();
        T* mp = m.data<T>();
        T* vp = v.data<T>();
        T* vm = amsgrad ? v_max.data<T>() : vp;  // without amsgrad, v̂ is v itself
        const std::int64_t n = params.numel();
        const auto c = formulas::AdamConstants<T>::make(h.lr, h.beta1, h.beta2, h.epsilon, h.weight_decay, h.step);
        cpu::parallel_for_simd(n, [=](std::int64_t i) { formulas::adam_update(p[i], g[i], mp[i], vp[i], vm[i], c); });
    });
}

void rmsprop_step(const TensorView& params, const TensorView& grads, const TensorView& square_avg,
                  const TensorView& grad_avg, const TensorView& momentum_buffer, double lr, double rho, double epsilon,
                  double momentum) {
    cpu::check_same_shape("rmsprop_step", params, grads);
    cpu::check_same_shape("rmsprop_step", params, square_avg);
    const bool centered = !grad_avg.empty(), with_momentum = !momentum_buffer.empty();
    if (centered) cpu::check_same_shape("rmsprop_step", params, grad_avg);
    if (with_momentum) cpu::check_same_shape("rmsprop_step", params, momentum_buffer);
    if (DeviceBackend* device = backend_of("rmsprop_step", {&params, &grads, &square_avg, &grad_avg, &momentum_buffer}))
        return device->rmsprop_step(params, grads, square_avg, grad_avg, momentum_buffer, lr, rho, epsilon, momentum);
    cpu::dispatch(params.dtype(), [&]<class T>(T) {
        T* p = params.data<T>();
        const T* g = grads.data<T>();
        T* s = square_avg.data<T>();
        T* a = centered ? grad_avg.data<T>() : nullptr;
        T* b = with_momentum ? momentum_buffer.data<T>() : nullptr;
        const std::int64_t n = params.numel();
        const T r = static_cast<T>(rho), eps = static_cast<T>(epsilon), eta = static_cast<T>(lr),
                mu = static_cast<T>(momentum);
        const T w = static_cast<T>(1.0 - rho);  // in double, rounded once, as for Adam
        cpu::parallel_for(n, n, [&](std::int64_t i) {
            formulas::rmsprop_update(p[i], g[i], s[i], a ? a + i : nullptr, b ? b + i : nullptr, eta, r, w, eps, mu);
        });
    });
}

void adagrad_step(const TensorView& params, const TensorView& grads, const TensorView& sum, double lr, double epsilon) {
    cpu::check_same_shape("adagrad_step", params, grads);
    cpu::check_same_shape("adagrad_step", params, sum);
    if (DeviceBackend* device = backend_of("adagrad_step", {&params, &grads, &sum}))
        return device->adagrad_step(params, grads, sum, lr, epsilon);
    cpu::dispatch(params.dtype(), [&]<class T>(T) {
        T* p = params.data<T>();
        const T* g = grads.data<T>();
        T* s = sum.data<T>();
        const std::int64_t n = params.numel();
        const T eta = static_cast<T>(lr), eps = static_cast<T>(epsilon);
        cpu::parallel_for_simd(n, [=](std::int64_t i) { formulas::adagrad_update(p[i], g[i], s[i], eta, eps); });
    });
}

}  // namespace mlp::backend
