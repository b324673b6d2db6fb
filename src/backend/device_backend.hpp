// A backend for a device other than the CPU (the CUDA one, src/backend/cuda):
// what the core asks of it. The core never links one: a program that wants it
// links its library (mlp::cuda), whose enable() registers it here. Memory and
// ops take raw device pointers and views whose device() says where they live.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "mlp/core/device.hpp"
#include "mlp/core/tensor.hpp"

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
    /// Copies bytes between the host and a GPU or within one; returns when done.
    virtual void copy(void* to, const Device& to_device, const void* from, const Device& from_device,
                      std::size_t bytes) = 0;

    // The op set (src/backend/ops.hpp), on views of this device's memory.
    /// c = alpha op(a) op(b) + beta c
    virtual void gemm(const TensorView& a, bool transpose_a, const TensorView& b, bool transpose_b, const TensorView& c,
                      double alpha, double beta) = 0;
    virtual void fill(const TensorView& x, double value) = 0;
};

/// Makes `backend` the one for `kind` (the CUDA library calls this from its
/// enable()); nullptr takes it away. The backend must outlive its use.
void register_device_backend(Device::Kind kind, DeviceBackend* backend);
/// The registered backend for `kind`, or nullptr.
DeviceBackend* device_backend(Device::Kind kind);
/// The registered backend for `device`; throws ConfigError as require_device does.
DeviceBackend& backend_for(const Device& device);

}  // namespace mlp::backend
