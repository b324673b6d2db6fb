// A backend for a device other than the CPU (the CUDA one, src/backend/cuda):
// what the core asks of it. The core never links one: a program that wants it
// links its library (mlp::cuda), whose enable() registers it here. Memory and
// ops take raw device pointers and views whose device() says where they live.
//
// The ops are ops.hpp's, one for one, with the same meaning, shapes and
// checks: each op in cpu/ hands its call here when its views are on a device
// (backend_of below). Host spans (row indices, per-column sums) stay on the host.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "mlp/core/activation_function.hpp"
#include "mlp/core/device.hpp"
#include "mlp/core/tensor.hpp"
#include "ops.hpp"

namespace mlp::backend {

class DeviceBackend {
public:
    virtual ~DeviceBackend() = default;
    /// "CUDA runtime 13.0, driver 13.0, cuBLAS 13.0.0"
    virtual std::string description() const = 0;
    /// The GPUs; empty, with the reason in `why_none`, when there are none.
    virtual std::vector<GpuInfo> devices(std::string& why_none) const = 0;

    /// Device memory on GPU `device`; throws Error naming the size and the GPU when it runs out.
    virtual void* allocate(int device, std::size_t bytes) = 0;
    virtual void release(int device, void* memory) = 0;
    /// ops.hpp's record() on GPU `device`. By default nothing can be recorded.
    virtual std::unique_ptr<Recording> record(int /*device*/, const std::function<void()>& /*work*/) { return nullptr; }
    /// ops.hpp's readback() from GPU `device`. By default its send() copies
    /// at once (copy() below), waiting for the work before.
    virtual std::unique_ptr<Readback> readback(int device);
    /// Copies bytes between the host and a GPU or within one. A copy to the
    /// host has finished when it returns; one to a GPU may still be on its way,
    /// but comes before every later op and copy (and `from` may be reused at once).
    virtual void copy(void* to, const Device& to_device, const void* from, const Device& from_device,
                      std::size_t bytes) = 0;

    // ---- the op set, as in ops.hpp ----
    virtual void gemm(const TensorView& a, bool transpose_a, const TensorView& b, bool transpose_b, const TensorView& c,
                      double alpha, double beta) = 0;

    virtual void fill(const TensorView& x, double value) = 0;
    virtual void axpy(double alpha, const TensorView& x, const TensorView& y) = 0;
    virtual void swap_leading_axes(const TensorView& src, std::int64_t a, std::int64_t b, const TensorView& dst) = 0;
    virtual void gather_rows(const TensorView& src, std::span<const std::int64_t> rows, const TensorView& dst) = 0;
    virtual void add_column_sums(const TensorView& dz, const TensorView& db) = 0;
    virtual std::int64_t find_non_finite(const TensorView& x) = 0;
    virtual double squared_norm(const TensorView& x) = 0;
    virtual void scale(const TensorView& x, double alpha) = 0;
    virtual void clip_values(const TensorView& x, double limit) = 0;
    virtual void normalize_columns(const TensorView& x, const TensorView& center, const TensorView& scale,
                                   const TensorView& y) = 0;
    virtual void multiply(const TensorView& a, const TensorView& b, const TensorView& out) = 0;

    virtual void bias_activate(const TensorView& z, const TensorView& bias, const ActivationFunction& f,
                               const TensorView& a) = 0;
    virtual void activate_backward(const ActivationFunction& f, const TensorView& z, const TensorView& a,
                                   const TensorView& da, const TensorView& dz) = 0;

    /// ops.hpp's dense stack. By default the layers one by one through the ops above.
    virtual void dense_stack_forward(const TensorView& x, std::span<const TensorView> kernels,
                                     std::span<const TensorView> biases, const ActivationFunction& f,
                                     std::span<const TensorView> acts);
    virtual void dense_stack_backward(std::span<const TensorView> kernels, const ActivationFunction& f,
                                      std::span<const TensorView> acts, const TensorView& dy,
                                      std::span<const TensorView> dzs, const TensorView& dx);

    virtual double regularize(const TensorView& w, const TensorView& grad, double l1, double l2) = 0;
    virtual void max_norm_columns(const TensorView& w, double max_value) = 0;
    virtual void dropout(const TensorView& x, double rate, std::uint64_t seed, const TensorView& calls,
                         std::uint64_t advance, std::uint64_t first, const TensorView& mask, const TensorView& y) = 0;
    virtual void batchnorm_forward(const TensorView& x, const TensorView& gamma, const TensorView& beta, double epsilon,
                                   const TensorView& mean, const TensorView& var, const TensorView& inv_std,
                                   const TensorView& x_hat, const TensorView& y) = 0;
    virtual void batchnorm_backward(const TensorView& dy, const TensorView& x_hat, const TensorView& gamma,
                                    const TensorView& inv_std, const TensorView& dgamma, const TensorView& dbeta,
                                    const TensorView& dx) = 0;
    virtual void column_sums(const TensorView& x, std::span<const double> center, std::span<double> sums) = 0;
    virtual void batchnorm_normalize(const TensorView& x, const TensorView& gamma, const TensorView& beta,
                                     double epsilon, std::span<const double> mean, std::span<const double> var,
                                     const TensorView& mean_out, const TensorView& var_out, const TensorView& inv_std,
                                     const TensorView& x_hat, const TensorView& y) = 0;
    virtual void batchnorm_backward_sums(const TensorView& dy, const TensorView& x_hat, const TensorView& dgamma,
                                         const TensorView& dbeta, std::span<double> sum_dy,
                                         std::span<double> sum_dy_xh) = 0;
    virtual void batchnorm_backward_dx(const TensorView& dy, const TensorView& x_hat, const TensorView& gamma,
                                       const TensorView& inv_std, std::span<const double> sum_dy,
                                       std::span<const double> sum_dy_xh, double n, const TensorView& dx) = 0;
    virtual void batchnorm_infer(const TensorView& x, const TensorView& gamma, const TensorView& beta,
                                 const TensorView& mean, const TensorView& var, double epsilon,
                                 const TensorView& y) = 0;

    /// The losses of ops.hpp, by kind (`delta` is Huber's); each returns the
    /// mean loss and writes dL/dpred into grad when it is not empty.
    enum class LossKind {
        mse,
        mae,
        huber,
        binary_crossentropy,
        binary_crossentropy_logits,
        categorical_crossentropy,
        categorical_crossentropy_logits,
        sparse_categorical_crossentropy,
        sparse_categorical_crossentropy_logits,
    };
    /// `total` as in ops.hpp: when given, the loss is written there and NaN returned.
    virtual double loss(LossKind kind, const TensorView& pred, const TensorView& target, double delta,
                        const TensorView& grad, const TensorView& weights, const TensorView& total) = 0;

    virtual void sgd_step(const TensorView& params, const TensorView& grads, const TensorView& velocity, double lr,
                          double momentum, bool nesterov) = 0;
    virtual void adam_step(const TensorView& params, const TensorView& grads, const TensorView& m, const TensorView& v,
                           const TensorView& v_max, const AdamStep& h) = 0;
    virtual void rmsprop_step(const TensorView& params, const TensorView& grads, const TensorView& square_avg,
                              const TensorView& grad_avg, const TensorView& momentum_buffer, double lr, double rho,
                              double epsilon, double momentum) = 0;
    virtual void adagrad_step(const TensorView& params, const TensorView& grads, const TensorView& sum, double lr,
                              double epsilon) = 0;
};

/// Makes `backend` the one for `kind` (the CUDA library calls this from its
/// enable()); nullptr takes it away. The backend must outlive its use.
void register_device_backend(Device::Kind kind, DeviceBackend* backend);
/// The registered backend for `kind`, or nullptr.
DeviceBackend* device_backend(Device::Kind kind);
/// The registered backend for `device`; throws ConfigError as require_device does.
DeviceBackend& backend_for(const Device& device);

/// Where op `op` runs on `views` (empty ones aside): nullptr for the CPU, the
/// device's backend otherwise. Throws ConfigError naming the op and the
/// devices when the views are not all on one.
DeviceBackend* backend_of(const char* op, std::initializer_list<const TensorView*> views);

}  // namespace mlp::backend
