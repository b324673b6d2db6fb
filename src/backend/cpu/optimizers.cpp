// Optimizer updates: one vectorized, parallel loop over the flat parameter
// arena, its gradient arena and the state arenas.
#include <cmath>

#include "../../backend/ops.hpp"
#include "dispatch.hpp"

namespace mlp::backend {

void sgd_step(const TensorView& params, const TensorView& grads, const TensorView& velocity, double lr, double momentum,
              bool nesterov) {
    cpu::check_same_shape("sgd_step", params, grads);
    if (momentum != 0.0) cpu::check_same_shape("sgd_step", params, velocity);
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
        if (nesterov) {
            cpu::parallel_for_simd(n, [=](std::int64_t i) {
                v[i] = mu * v[i] + g[i];
                p[i] -= eta * (g[i] + mu * v[i]);
            });
        } else {
            cpu::parallel_for_simd(n, [=](std::int64_t i) {
                v[i] = mu * v[i] + g[i];
                p[i] -= eta * v[i];
            });
        }
    });
}

void adam_step(const TensorView& params, const TensorView& grads, const TensorView& m, const TensorView& v,
               const TensorView& v_max, const AdamStep& h) {
    cpu::check_same_shape("adam_step", params, grads);
    cpu::check_same_shape("adam_step", params, m);
    cpu::check_same_shape("adam_step", params, v);
    const bool amsgrad = !v_max.empty();
    if (amsgrad) cpu::check_same_shape("adam_step", params, v_max);
    const double correction1 = 1.0 - std::pow(h.beta1, static_cast<double>(h.step));
    const double correction2 = 1.0 - std::pow(h.beta2, static_cast<double>(h.step));
    cpu::dispatch(params.dtype(), [&]<class T>(T) {
        T* p = params.data<T>();
        const T* g = grads.data<T>();
        T* mp = m.data<T>();
        T* vp = v.data<T>();
        T* vm = amsgrad ? v_max.data<T>() : vp;  // without amsgrad, v̂ is v itself
        const std::int64_t n = params.numel();
        const T b1 = static_cast<T>(h.beta1), b2 = static_cast<T>(h.beta2), eps = static_cast<T>(h.epsilon);
        // 1 - β in double, rounded once (as PyTorch does): 1 - float(0.999) is 1.3e-5 off 0.001.
        const T w1 = static_cast<T>(1.0 - h.beta1), w2 = static_cast<T>(1.0 - h.beta2);
        const T step_size = static_cast<T>(h.lr / correction1);
        const T inv_sqrt_c2 = static_cast<T>(1.0 / std::sqrt(correction2));
        const T decay = static_cast<T>(1.0 - h.lr * h.weight_decay);
        cpu::parallel_for_simd(n, [=](std::int64_t i) {
            mp[i] = b1 * mp[i] + w1 * g[i];
            vp[i] = b2 * vp[i] + w2 * g[i] * g[i];
            vm[i] = vm[i] > vp[i] ? vm[i] : vp[i];
            p[i] = p[i] * decay - step_size * mp[i] / (std::sqrt(vm[i]) * inv_sqrt_c2 + eps);
        });
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
            s[i] = r * s[i] + w * g[i] * g[i];
            T spread = s[i];
            if (a) {
                a[i] = r * a[i] + w * g[i];
                spread -= a[i] * a[i];
            }
            const T d = g[i] / (std::sqrt(spread) + eps);
            if (b) {
                b[i] = mu * b[i] + d;
                p[i] -= eta * b[i];
            } else {
                p[i] -= eta * d;
            }
        });
    });
}

void adagrad_step(const TensorView& params, const TensorView& grads, const TensorView& sum, double lr, double epsilon) {
    cpu::check_same_shape("adagrad_step", params, grads);
    cpu::check_same_shape("adagrad_step", params, sum);
    cpu::dispatch(params.dtype(), [&]<class T>(T) {
        T* p = params.data<T>();
        const T* g = grads.data<T>();
        T* s = sum.data<T>();
        const std::int64_t n = params.numel();
        const T eta = static_cast<T>(lr), eps = static_cast<T>(epsilon);
        cpu::parallel_for_simd(n, [=](std::int64_t i) {
            s[i] += g[i] * g[i];
            p[i] -= eta * g[i] / (std::sqrt(s[i]) + eps);
        });
    });
}

}  // namespace mlp::backend
