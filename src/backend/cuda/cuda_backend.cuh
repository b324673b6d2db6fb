// The CUDA backend's class (cuda_backend.cu) and its error checks; its ops
// live beside it, one file per family, mirroring src/backend/cpu. The op set's
// entry points (cpu/) have checked shapes, dtypes and devices before an op
// gets here.
#pragma once

#include <cublas_v2.h>
#include <cuda_runtime.h>

#include <atomic>
#include <mutex>
#include <utility>
#include <vector>

#include "../device_backend.hpp"
#include "memory_pool.cuh"
#include "mlp/cuda/cuda.hpp"

namespace mlp::backend::cuda {

/// Throws mlp::Error naming `what` and the GPU unless the call succeeded.
void check(cudaError_t status, const char* what, int device);
void check(cublasStatus_t status, const char* what, int device);

// recording.cu
/// The stream for this thread's ops: the default stream, or while the thread
/// records (CudaBackend::record) its capture stream.
cudaStream_t stream();
/// Whether this thread is recording.
bool recording();
/// Throws mlp::Error, which drops the recording, when this thread records:
/// for what cannot be in a graph (`what`: a result for the host, an allocation).
void refuse_while_recording(const char* what);

/// Pinned host memory (cudaMallocHost), grown to the largest size asked for:
/// what asynchronous copies between the host and a GPU go through.
class PinnedBuffer {
public:
    PinnedBuffer() = default;
    PinnedBuffer(PinnedBuffer&& other) noexcept
        : memory_(std::exchange(other.memory_, nullptr)), bytes_(std::exchange(other.bytes_, 0)) {}
    PinnedBuffer& operator=(PinnedBuffer&& other) noexcept {
        std::swap(memory_, other.memory_);
        std::swap(bytes_, other.bytes_);
        return *this;
    }
    ~PinnedBuffer() {
        if (memory_ != nullptr) cudaFreeHost(memory_);  // at exit: errors are no news
    }
    /// At least `bytes` of it; what it held is lost when it grows.
    void* at_least(int device, std::size_t bytes);

private:
    void* memory_ = nullptr;
    std::size_t bytes_ = 0;
};

class CudaBackend final : public DeviceBackend {
public:
    CudaBackend() = default;
    CudaBackend(const CudaBackend&) = delete;
    CudaBackend& operator=(const CudaBackend&) = delete;
    ~CudaBackend() override;

    std::string description() const override;
    std::vector<GpuInfo> devices(std::string& why_none) const override;
    void* allocate(int device, std::size_t bytes) override;
    void release(int device, void* memory) override;
    void copy(void* to, const Device& to_device, const void* from, const Device& from_device,
              std::size_t bytes) override;
    void gemm(const TensorView& a, bool transpose_a, const TensorView& b, bool transpose_b, const TensorView& c,
              double alpha, double beta) override;                                              // gemm.cu
    std::unique_ptr<Recording> record(int device, const std::function<void()>& work) override;  // recording.cu
    std::unique_ptr<Readback> readback(int device) override;                                    // readback.cu

    // elementwise.cu
    void fill(const TensorView& x, double value) override;
    void axpy(double alpha, const TensorView& x, const TensorView& y) override;
    void swap_leading_axes(const TensorView& src, std::int64_t a, std::int64_t b, const TensorView& dst) override;
    void gather_rows(const TensorView& src, std::span<const std::int64_t> rows, const TensorView& dst) override;
    void add_column_sums(const TensorView& dz, const TensorView& db) override;
    std::int64_t find_non_finite(const TensorView& x) override;
    double squared_norm(const TensorView& x) override;
    void scale(const TensorView& x, double alpha) override;
    void clip_values(const TensorView& x, double limit) override;
    void normalize_columns(const TensorView& x, const TensorView& center, const TensorView& scale,
                           const TensorView& y) override;
    void multiply(const TensorView& a, const TensorView& b, const TensorView& out) override;

    // activations.cu
    void bias_activate(const TensorView& z, const TensorView& bias, const ActivationFunction& f,
                       const TensorView& a) override;
    void activate_backward(const ActivationFunction& f, const TensorView& z, const TensorView& a, const TensorView& da,
                           const TensorView& dz) override;

    // dense_stack.cu
    void dense_stack_forward(const TensorView& x, std::span<const TensorView> kernels,
                             std::span<const TensorView> biases, const ActivationFunction& f,
                             std::span<const TensorView> acts) override;
    void dense_stack_backward(std::span<const TensorView> kernels, const ActivationFunction& f,
                              std::span<const TensorView> acts, const TensorView& dy, std::span<const TensorView> dzs,
                              const TensorView& dx) override;

    // regularization.cu
    double regularize(const TensorView& w, const TensorView& grad, double l1, double l2) override;
    void max_norm_columns(const TensorView& w, double max_value) override;
    void dropout(const TensorView& x, double rate, std::uint64_t seed, const TensorView& calls, std::uint64_t advance,
                 std::uint64_t first, const TensorView& mask, const TensorView& y) override;
    void batchnorm_forward(const TensorView& x, const TensorView& gamma, const TensorView& beta, double epsilon,
                           const TensorView& mean, const TensorView& var, const TensorView& inv_std,
                           const TensorView& x_hat, const TensorView& y) override;
    void batchnorm_backward(const TensorView& dy, const TensorView& x_hat, const TensorView& gamma,
                            const TensorView& inv_std, const TensorView& dgamma, const TensorView& dbeta,
                            const TensorView& dx) override;
    void column_sums(const TensorView& x, std::span<const double> center, std::span<double> sums) override;
    void batchnorm_normalize(const TensorView& x, const TensorView& gamma, const TensorView& beta, double epsilon,
                             std::span<const double> mean, std::span<const double> var, const TensorView& mean_out,
                             const TensorView& var_out, const TensorView& inv_std, const TensorView& x_hat,
                             const TensorView& y) override;
    void batchnorm_backward_sums(const TensorView& dy, const TensorView& x_hat, const TensorView& dgamma,
                                 const TensorView& dbeta, std::span<double> sum_dy,
                                 std::span<double> sum_dy_xh) override;
    void batchnorm_backward_dx(const TensorView& dy, const TensorView& x_hat, const TensorView& gamma,
                               const TensorView& inv_std, std::span<const double> sum_dy,
                               std::span<const double> sum_dy_xh, double n, const TensorView& dx) override;
    void batchnorm_infer(const TensorView& x, const TensorView& gamma, const TensorView& beta, const TensorView& mean,
                         const TensorView& var, double epsilon, const TensorView& y) override;

    // losses.cu
    double loss(LossKind kind, const TensorView& pred, const TensorView& target, double delta, const TensorView& grad,
                const TensorView& weights, const TensorView& total) override;

    // optimizers.cu
    void sgd_step(const TensorView& params, const TensorView& grads, const TensorView& velocity, double lr,
                  double momentum, bool nesterov) override;
    void adam_step(const TensorView& params, const TensorView& grads, const TensorView& m, const TensorView& v,
                   const TensorView& v_max, const AdamStep& h) override;
    void rmsprop_step(const TensorView& params, const TensorView& grads, const TensorView& square_avg,
                      const TensorView& grad_avg, const TensorView& momentum_buffer, double lr, double rho,
                      double epsilon, double momentum) override;
    void adagrad_step(const TensorView& params, const TensorView& grads, const TensorView& sum, double lr,
                      double epsilon) override;

    MemoryPool& pool() { return pool_; }
    /// How float32 products are computed (mlp::cuda::set_matmul_precision).
    void set_matmul_precision(mlp::cuda::MatmulPrecision precision) { precision_ = precision; }
    mlp::cuda::MatmulPrecision matmul_precision() const { return precision_; }

private:
    /// The cuBLAS handle of GPU `device`, made on first use.
    cublasHandle_t blas(int device);
    /// The handle for this thread's ops on `device`: blas(device), or while
    /// recording there the one bound to the capture stream.
    cublasHandle_t blas_here(int device);
    std::mutex mutex_;
    std::vector<cublasHandle_t> handles_;
    MemoryPool pool_;
    std::atomic<mlp::cuda::MatmulPrecision> precision_ = mlp::cuda::MatmulPrecision::float32;
};

}  // namespace mlp::backend::cuda
