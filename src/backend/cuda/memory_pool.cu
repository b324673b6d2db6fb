// The memory pool (memory_pool.cuh): a best-fit free list per GPU.
#include "memory_pool.cuh"

#include <cuda_runtime.h>

#include <algorithm>
#include <cstdio>
#include <string>

#include "cuda_backend.cuh"
#include "mlp/core/error.hpp"

namespace mlp::backend::cuda {

namespace {

/// Sizes the pool deals in: 512-byte steps up to 1 MiB, 2 MiB steps above, so
/// that a slightly larger batch reuses the block of the last.
std::size_t rounded(std::size_t bytes) {
    constexpr std::size_t small = 512, large = std::size_t{2} << 20;
    const std::size_t step = bytes <= (std::size_t{1} << 20) ? small : large;
    return (std::max<std::size_t>(bytes, 1) + step - 1) / step * step;
}

std::string gib(std::size_t bytes) {
    char text[32];
    std::snprintf(text, sizeof text, "%.2f GiB", static_cast<double>(bytes) / (1 << 30));
    return text;
}

}  // namespace

MemoryPool::Device& MemoryPool::pool(int device) {
    if (devices_.size() <= static_cast<std::size_t>(device)) devices_.resize(static_cast<std::size_t>(device) + 1);
    return devices_[static_cast<std::size_t>(device)];
}

void* MemoryPool::allocate(int device, std::size_t bytes) {
    const std::size_t size = rounded(bytes);
    const std::lock_guard lock(mutex_);
    Device& d = pool(device);
    // The smallest free block that fits, unless it would waste more than a quarter.
    if (const auto it = d.free.lower_bound(size); it != d.free.end() && it->first <= size + size / 4) {
        void* block = it->second;
        d.held.emplace(block, it->first);
        d.use.cached -= it->first;
        d.use.in_use += it->first;
        d.free.erase(it);
        return block;
    }
    void* block = nullptr;
    cudaError_t status = cudaMalloc(&block, size);
    if (status == cudaErrorMemoryAllocation && !d.free.empty()) {
        cudaGetLastError();
        empty_locked(device);
        status = cudaMalloc(&block, size);
    }
    if (status != cudaSuccess) {
        cudaGetLastError();  // not sticky: the program may go on with less
        throw DeviceMemoryError("CUDA: cannot allocate " + std::to_string(bytes) +
                                " bytes on cuda:" + std::to_string(device) + " (" + gib(d.use.in_use) +
                                " held by tensors): " + cudaGetErrorString(status));
    }
    d.held.emplace(block, size);
    d.use.in_use += size;
    return block;
}

void MemoryPool::release(int device, void* memory) {
    const std::lock_guard lock(mutex_);
    Device& d = pool(device);
    const auto it = d.held.find(memory);
    if (it == d.held.end())
        throw Error("CUDA: release of memory the pool did not give, on cuda:" + std::to_string(device));
    d.free.emplace(it->second, memory);
    d.use.in_use -= it->second;
    d.use.cached += it->second;
    d.held.erase(it);
}

void MemoryPool::empty(int device) {
    const std::lock_guard lock(mutex_);
    empty_locked(device);
}

void MemoryPool::empty_locked(int device) {
    Device& d = pool(device);
    check(cudaSetDevice(device), "cudaSetDevice", device);
    for (const auto& [size, block] : d.free) check(cudaFree(block), "cudaFree", device);
    d.free.clear();
    d.use.cached = 0;
}

MemoryPool::Use MemoryPool::use(int device) {
    const std::lock_guard lock(mutex_);
    return pool(device).use;
}

}  // namespace mlp::backend::cuda
