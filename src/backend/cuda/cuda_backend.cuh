// The CUDA backend's class (cuda_backend.cu) and its error checks; its ops
// live beside it, one file per family, mirroring src/backend/cpu.
#pragma once

#include <cublas_v2.h>
#include <cuda_runtime.h>

#include <mutex>
#include <vector>

#include "../device_backend.hpp"

namespace mlp::backend::cuda {

/// Throws mlp::Error naming `what` and the GPU unless the call succeeded.
void check(cudaError_t status, const char* what, int device);
void check(cublasStatus_t status, const char* what, int device);

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
              double alpha, double beta) override;          // gemm.cu
    void fill(const TensorView& x, double value) override;  // elementwise.cu

private:
    /// The cuBLAS handle of GPU `device`, made on first use.
    cublasHandle_t blas(int device);
    std::mutex mutex_;
    std::vector<cublasHandle_t> handles_;
};

}  // namespace mlp::backend::cuda
