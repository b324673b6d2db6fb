// What the CUDA ops share: launching a loop over elements or rows, warp sums,
// a per-thread scratch buffer for what an op uploads (row indices, per-column
// sums), and sums of per-block partials finished on the host in a fixed order,
// so that a result does not depend on timing.
#pragma once

#include <cuda_runtime.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "cuda_backend.cuh"

namespace mlp::backend::cuda {

constexpr int threads_per_block = 256;
constexpr int warps_per_block = threads_per_block / 32;

/// Blocks to cover n items, one a thread, at most 65,535 (the loops stride over the rest).
inline unsigned blocks_for(std::int64_t n) {
    return static_cast<unsigned>(std::clamp<std::int64_t>((n + threads_per_block - 1) / threads_per_block, 1, 65535));
}

template <class F>
__global__ void each_kernel(std::int64_t n, F f) {
    for (std::int64_t i = blockIdx.x * static_cast<std::int64_t>(blockDim.x) + threadIdx.x; i < n;
         i += static_cast<std::int64_t>(gridDim.x) * blockDim.x)
        f(i);
}

/// Runs f(i) for i in [0, n) on the current GPU, one thread an element.
template <class F>
void for_each(std::int64_t n, F f) {
    if (n > 0) each_kernel<<<blocks_for(n), threads_per_block, 0, stream()>>>(n, f);
}

template <class F>
__global__ void rows_kernel(std::int64_t rows, F f) {
    const int lane = static_cast<int>(threadIdx.x % 32);
    for (std::int64_t r = blockIdx.x * static_cast<std::int64_t>(warps_per_block) + threadIdx.x / 32; r < rows;
         r += static_cast<std::int64_t>(gridDim.x) * warps_per_block)
        f(r, lane);
}

/// Runs f(r, lane) for each row r in [0, rows) on one warp: the 32 lanes
/// stride along the row and meet through warp_sum / warp_max.
template <class F>
void for_each_row(std::int64_t rows, F f) {
    if (rows <= 0) return;
    const auto blocks =
        static_cast<unsigned>(std::clamp<std::int64_t>((rows + warps_per_block - 1) / warps_per_block, 1, 65535));
    rows_kernel<<<blocks, threads_per_block, 0, stream()>>>(rows, f);
}

template <class T>
__device__ inline T warp_sum(T v) {
    for (int offset = 16; offset > 0; offset /= 2) v += __shfl_xor_sync(0xffffffffu, v, offset);
    return v;
}

template <class T>
__device__ inline T warp_max(T v) {
    for (int offset = 16; offset > 0; offset /= 2) {
        const T other = __shfl_xor_sync(0xffffffffu, v, offset);
        v = other > v ? other : v;
    }
    return v;
}

/// Sums of `count` values per block of 256 threads, in double: thread t of
/// block b adds value(i) for its items, the block adds its threads' sums in a
/// fixed tree, and writes partials[b * count + k].
template <int count, class F>
__global__ void partial_sums_kernel(std::int64_t n, F value, double* partials) {
    __shared__ double shared[count][threads_per_block];
    double acc[count] = {};
    for (std::int64_t i = blockIdx.x * static_cast<std::int64_t>(blockDim.x) + threadIdx.x; i < n;
         i += static_cast<std::int64_t>(gridDim.x) * blockDim.x)
        value(i, acc);
    for (int k = 0; k < count; ++k) shared[k][threadIdx.x] = acc[k];
    __syncthreads();
    for (int stride = threads_per_block / 2; stride > 0; stride /= 2) {
        if (static_cast<int>(threadIdx.x) < stride)
            for (int k = 0; k < count; ++k) shared[k][threadIdx.x] += shared[k][threadIdx.x + stride];
        __syncthreads();
    }
    if (threadIdx.x == 0)
        for (int k = 0; k < count; ++k) partials[blockIdx.x * count + k] = shared[k][0];
}

/// Per-column sums of a (rows, cols) matrix, `count` of them per column, in
/// double: each block takes 32 columns, its 8 warps stride down the rows, and
/// shared memory adds their parts in a fixed order. value(r, j, acc) adds
/// element (r, j)'s terms to acc[0..count); done(j, sums) receives column j's.
template <int count, class Value, class Done>
__global__ void column_sums_kernel(std::int64_t rows, std::int64_t cols, Value value, Done done) {
    __shared__ double part[count][warps_per_block][32];
    const int lane = static_cast<int>(threadIdx.x % 32), warp = static_cast<int>(threadIdx.x / 32);
    const std::int64_t j = blockIdx.x * static_cast<std::int64_t>(32) + lane;
    double acc[count] = {};
    if (j < cols)
        for (std::int64_t r = warp; r < rows; r += warps_per_block) value(r, j, acc);
    for (int k = 0; k < count; ++k) part[k][warp][lane] = acc[k];
    __syncthreads();
    if (warp != 0 || j >= cols) return;
    double sums[count] = {};
    for (int w = 0; w < warps_per_block; ++w)
        for (int k = 0; k < count; ++k) sums[k] += part[k][w][lane];
    done(j, sums);
}

template <int count, class Value, class Done>
void for_each_column_sum(std::int64_t rows, std::int64_t cols, Value value, Done done) {
    if (cols > 0)
        column_sums_kernel<count>
            <<<static_cast<unsigned>((cols + 31) / 32), threads_per_block, 0, stream()>>>(rows, cols, value, done);
}

/// Device memory that an op borrows for a moment: per host thread and GPU, so
/// that threads predicting at once never share it; it grows and is kept. Ops
/// run in order on the default stream, so the next op's use waits for this
/// one's kernels. Growing loses the contents: an op that uploads several
/// arrays asks for their total first. Memory it outgrows is kept until the
/// thread ends, as a recorded graph may still use it.
void* scratch(int device, std::size_t bytes);

/// Σ over i in [0, n) of value(i, acc) (which adds to acc[0..count)), in double:
/// per-block partials on the GPU, finished on the host in block order.
template <int count, class F>
std::vector<double> sum_over(int device, std::int64_t n, F value) {
    refuse_while_recording("a sum for the host");
    const unsigned blocks = std::min<unsigned>(blocks_for(n), 1024);
    auto* partials = static_cast<double*>(scratch(device, sizeof(double) * count * blocks));
    partial_sums_kernel<count><<<blocks, threads_per_block>>>(n, value, partials);
    check(cudaGetLastError(), "a reduction", device);
    std::vector<double> host(static_cast<std::size_t>(count) * blocks);
    check(cudaMemcpy(host.data(), partials, host.size() * sizeof(double), cudaMemcpyDeviceToHost),
          "cudaMemcpy of partial sums", device);
    std::vector<double> total(count, 0.0);
    for (unsigned b = 0; b < blocks; ++b)
        for (int k = 0; k < count; ++k) total[k] += host[b * count + k];
    return total;
}

/// Copies `bytes` from the host to `to` on `device` without waiting for the
/// GPU: the values go into pinned memory at once (the caller may change them
/// on return) and from there in stream order, so the kernels after see them.
/// A plain cudaMemcpy from pageable memory would first wait for all the work
/// queued before it: a training step would stall at every batch's row indices.
void send_to_device(int device, void* to, const void* from, std::size_t bytes);

/// Copies host values into scratch on `device` at byte `offset`; returns their device address.
template <class T>
T* upload(int device, const T* values, std::size_t count, std::size_t offset = 0) {
    auto* at = static_cast<std::byte*>(scratch(device, offset + count * sizeof(T))) + offset;
    if (count > 0) send_to_device(device, at, values, count * sizeof(T));
    return reinterpret_cast<T*>(at);
}

/// Makes `view`'s GPU current and returns its index.
inline int use_device(const TensorView& view) {
    const int device = view.device().index;
    check(cudaSetDevice(device), "cudaSetDevice", device);
    return device;
}

/// Typed pointer of a view, or nullptr for an empty one.
template <class T>
T* data_or_null(const TensorView& v) {
    return v.empty() ? nullptr : v.data<T>();
}

}  // namespace mlp::backend::cuda
