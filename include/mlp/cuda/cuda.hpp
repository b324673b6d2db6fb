// The CUDA backend's entry point (library mlp::cuda, built when the CUDA
// toolkit is found). A program that links it calls enable() once; devices
// "cuda:N" are then usable, and mlp::cuda_devices() lists the GPUs.
#pragma once

#include <cstdint>

namespace mlp::cuda {

/// Registers the CUDA backend with the core (again is harmless); returns how
/// many GPUs it sees: 0 on a machine without one, or without the driver
/// (mlp::cuda_status() says which).
int enable();

/// float32 products on TF32 tensor cores (10-bit mantissas in the product,
/// float32 sums): several times faster on Ampere and later, about 1e-3
/// relative error. Off by default, as PyTorch's
/// torch.backends.cuda.matmul.allow_tf32.
void set_allow_tf32(bool allowed);
bool allow_tf32();

/// A GPU's memory as mlp's pool sees it: tensors' memory returns to the pool
/// for reuse rather than to CUDA (as PyTorch's caching allocator).
struct MemoryUse {
    std::int64_t in_use = 0;  ///< bytes held by tensors
    std::int64_t cached = 0;  ///< bytes free in the pool, kept for the next tensors
};
MemoryUse memory_use(int gpu = 0);
/// Gives the pool's free memory on `gpu` back to CUDA (torch.cuda.empty_cache()).
void empty_cache(int gpu = 0);

}  // namespace mlp::cuda
