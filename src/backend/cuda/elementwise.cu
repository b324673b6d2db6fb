// Element-wise ops on the GPU (cpu/elementwise.cpp's twin): one thread an
// element, grid-stride, so any size runs in one launch.
#include "cuda_backend.cuh"

#include <algorithm>

namespace mlp::backend::cuda {

namespace {

template <class T>
__global__ void fill_kernel(T* x, std::int64_t n, T value) {
    for (std::int64_t i = blockIdx.x * static_cast<std::int64_t>(blockDim.x) + threadIdx.x; i < n;
         i += static_cast<std::int64_t>(gridDim.x) * blockDim.x)
        x[i] = value;
}

/// Blocks of 256 threads, enough to cover n, at most 65,535 (the loop does the rest).
unsigned blocks_for(std::int64_t n) { return static_cast<unsigned>(std::min<std::int64_t>((n + 255) / 256, 65535)); }

}  // namespace

void CudaBackend::fill(const TensorView& x, double value) {
    const std::int64_t n = x.numel();
    if (n == 0) return;
    const int device = x.device().index;
    check(cudaSetDevice(device), "cudaSetDevice", device);
    if (x.dtype() == DType::f32)
        fill_kernel<<<blocks_for(n), 256>>>(x.data<float>(), n, static_cast<float>(value));
    else
        fill_kernel<<<blocks_for(n), 256>>>(x.data<double>(), n, value);
    check(cudaGetLastError(), "fill", device);
}

}  // namespace mlp::backend::cuda
