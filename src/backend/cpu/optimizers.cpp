// Optimizer updates: one vectorized, parallel loop over the flat parameter
// arena, its gradient arena and the state arenas.
#include <cmath>

#include "../../backend/ops.hpp"
#include "dispatch.hpp"

namespace mlp::backend {

void sgd_step(const TensorView& params, const TensorView& grads, const TensorView& velocity, double lr,
              double momentum, bool nesterov) {
    cpu::check_same_shape("sgd_step", params, grads);
    if (momentum != 0.0) cpu::check_same_shape("sgd_step", params, velocity);
    cpu::dispatch(params.dtype(), [&]<class T>(T) {
        T* p = params.data<T>();
        const T* g = grads.data<T>();
        const std::int64_t n = params.numel();
        const T eta = static_cast<T>(lr);
        if (momentum == 0.0) {
#pragma omp parallel for simd schedule(static) if (n >= cpu::parallel_threshold)
            for (std::int64_t i = 0; i < n; ++i) p[i] -= eta * g[i];
            return;
        }
        T* v = velocity.data<T>();
        const T mu = static_cast<T>(momentum);
        if (nesterov) {
#pragma omp parallel for simd schedule(static) if (n >= cpu::parallel_threshold)
            for (std::int64_t i = 0; i < n; ++i) {
                v[i] = mu * v[i] + g[i];
                p[i] -= eta * (g[i] + mu * v[i]);
            }
        } else {
#pragma omp parallel for simd schedule(static) if (n >= cpu::parallel_threshold)
            for (std::int64_t i = 0; i < n; ++i) {
                v[i] = mu * v[i] + g[i];
                p[i] -= eta * v[i];
            }
        }
    });
}

void adam_step(const TensorView& params, const TensorView& grads, const TensorView& m, const TensorView& v,
               double lr, double beta1, double beta2, double epsilon, std::int64_t t) {
    cpu::check_same_shape("adam_step", params, grads);
    cpu::check_same_shape("adam_step", params, m);
    cpu::check_same_shape("adam_step", params, v);
    const double correction1 = 1.0 - std::pow(beta1, static_cast<double>(t));
    const double correction2 = 1.0 - std::pow(beta2, static_cast<double>(t));
    cpu::dispatch(params.dtype(), [&]<class T>(T) {
        T* p = params.data<T>();
        const T* g = grads.data<T>();
        T* mp = m.data<T>();
        T* vp = v.data<T>();
        const std::int64_t n = params.numel();
        const T b1 = static_cast<T>(beta1), b2 = static_cast<T>(beta2), eps = static_cast<T>(epsilon);
        const T step_size = static_cast<T>(lr / correction1);
        const T inv_sqrt_c2 = static_cast<T>(1.0 / std::sqrt(correction2));
#pragma omp parallel for simd schedule(static) if (n >= cpu::parallel_threshold)
        for (std::int64_t i = 0; i < n; ++i) {
            mp[i] = b1 * mp[i] + (T(1) - b1) * g[i];
            vp[i] = b2 * vp[i] + (T(1) - b2) * g[i] * g[i];
            p[i] -= step_size * mp[i] / (std::sqrt(vp[i]) * inv_sqrt_c2 + eps);
        }
    });
}

}  // namespace mlp::backend
