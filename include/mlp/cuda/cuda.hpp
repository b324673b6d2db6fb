// The CUDA backend's entry point (library mlp::cuda, built when the CUDA
// toolkit is found). A program that links it calls enable() once; devices
// "cuda:N" are then usable, and mlp::cuda_devices() lists the GPUs.
#pragma once

#include <cstdint>
#include <string>

namespace mlp::cuda {

/// Registers the CUDA backend with the core (again is harmless); returns how
/// many GPUs it sees: 0 on a machine without one, or without the driver
/// (mlp::cuda_status() says which).
int enable();

/// How float32 products are computed on the GPU, as PyTorch's
/// torch.set_float32_matmul_precision. Weights, gradients, activations and
/// optimizer state stay float32 whichever is chosen: only the products'
/// operands are rounded, and their sums are float32.
enum class MatmulPrecision {
    float32,  ///< float32 throughout: the default (PyTorch's "highest")
    tf32,     ///< TF32 tensor cores, 10-bit mantissas: several times faster, about 1e-3 relative error
    bf16,     ///< bfloat16 tensor cores, 7-bit mantissas: faster again, about 1e-2 relative error
};
void set_matmul_precision(MatmulPrecision precision);
MatmulPrecision matmul_precision();
/// "float32", "tf32" or "bf16".
const char* matmul_precision_name(MatmulPrecision precision);
/// The precision `name` names; ConfigError listing the names otherwise.
MatmulPrecision matmul_precision_named(const std::string& name);

/// PyTorch's torch.backends.cuda.matmul.allow_tf32: true sets tf32, false
/// float32; allow_tf32() says whether the precision is tf32.
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
