// Device memory kept for reuse, as PyTorch's caching allocator does it: a
// tensor's memory goes back to the pool when the tensor is freed and serves
// the next request of about its size. cudaMalloc and cudaFree synchronize the
// device, so after the first training step or predict call, none is made.
// Reuse is safe without events: every op runs in order on the default stream,
// so the next user of a block waits for the kernels of the last.
#pragma once

#include <cstddef>
#include <map>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace mlp::backend::cuda {

class MemoryPool {
public:
    MemoryPool() = default;
    MemoryPool(const MemoryPool&) = delete;
    MemoryPool& operator=(const MemoryPool&) = delete;

    /// A block of at least `bytes` on GPU `device` (current): from the pool,
    /// else from CUDA; when CUDA has none, the pool's free blocks go back to
    /// CUDA and it asks once more. Throws DeviceMemoryError naming the size.
    void* allocate(int device, std::size_t bytes);
    /// Returns a block to the pool.
    void release(int device, void* memory);
    /// Gives the free blocks of `device` back to CUDA.
    void empty(int device);

    struct Use {
        std::size_t in_use = 0;  ///< bytes of blocks tensors hold
        std::size_t cached = 0;  ///< bytes of free blocks kept for reuse
    };
    Use use(int device);

private:
    struct Device {
        std::multimap<std::size_t, void*> free;       // by size
        std::unordered_map<void*, std::size_t> held;  // block -> size
        Use use;
    };
    Device& pool(int device);
    void empty_locked(int device);

    std::mutex mutex_;
    std::vector<Device> devices_;
};

}  // namespace mlp::backend::cuda
