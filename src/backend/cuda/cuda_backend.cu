// The CUDA backend: the runtime's view of the GPUs, device memory, and the
// op set on device views (gemm.cu, elementwise.cu), registered with the core
// by mlp::cuda::enable(). Every CUDA error becomes an mlp::Error naming the
// call and the GPU.
#include "cuda_backend.cuh"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>
#include <string>
#include <utility>

#include "launch.cuh"

#include "mlp/core/error.hpp"
#include "mlp/cuda/cuda.hpp"

namespace mlp::backend::cuda {

void check(cudaError_t status, const char* what, int device) {
    if (status == cudaSuccess) return;
    throw Error(std::string("CUDA: ") + what + " on cuda:" + std::to_string(device) + ": " +
                cudaGetErrorString(status));
}

void check(cublasStatus_t status, const char* what, int device) {
    if (status == CUBLAS_STATUS_SUCCESS) return;
    throw Error(std::string("cuBLAS: ") + what + " on cuda:" + std::to_string(device) + ": " +
                cublasGetStatusString(status));
}

namespace {

/// One GPU's scratch memory for one host thread (launch.cuh's scratch()).
class Scratch {
public:
    Scratch() = default;
    Scratch(Scratch&& other) noexcept
        : memory_(std::exchange(other.memory_, nullptr)),
          bytes_(other.bytes_),
          outgrown_(std::exchange(other.outgrown_, {})),
          device_(other.device_) {}
    Scratch& operator=(Scratch&&) = delete;
    ~Scratch() {
        // At thread exit; at process exit the runtime may be gone already, which is no error worth a word.
        if (cudaSetDevice(device_) != cudaSuccess) return;
        for (void* old : outgrown_) cudaFree(old);
        if (memory_ != nullptr) cudaFree(memory_);
    }
    void* at_least(int device, std::size_t bytes) {
        if (bytes_ >= bytes) return memory_;
        refuse_while_recording("growing scratch memory");
        device_ = device;
        const std::size_t grown = std::max({bytes, 2 * bytes_, std::size_t{1} << 16});
        void* memory = nullptr;
        check(cudaMalloc(&memory, grown), "cudaMalloc of scratch", device);
        // A graph recorded earlier may still use the old block: it goes at thread
        // exit. Doubling keeps them smaller, together, than the new one.
        if (memory_ != nullptr) outgrown_.push_back(memory_);
        memory_ = memory;
        bytes_ = grown;
        return memory_;
    }

private:
    void* memory_ = nullptr;
    std::size_t bytes_ = 0;
    std::vector<void*> outgrown_;
    int device_ = 0;
};

/// Pinned host memory for send_to_device(): a ring of slots per host thread
/// and GPU, each reused once the copy from it has finished (its event).
class PinnedRing {
public:
    PinnedRing() = default;
    PinnedRing(PinnedRing&& other) noexcept : slots_(std::exchange(other.slots_, {})), next_(other.next_) {}
    PinnedRing& operator=(PinnedRing&&) = delete;
    ~PinnedRing() {
        for (Slot& s : slots_)  // at thread exit; errors at process exit are no news
            if (s.done != nullptr) cudaEventDestroy(s.done);
    }
    void send(int device, void* to, const void* from, std::size_t bytes) {
        refuse_while_recording("a copy from host memory");
        Slot& s = slots_[next_++ % slots_.size()];
        if (s.done != nullptr) check(cudaEventSynchronize(s.done), "cudaEventSynchronize", device);
        void* staged = s.memory.at_least(device, bytes);
        if (s.done == nullptr)
            check(cudaEventCreateWithFlags(&s.done, cudaEventDisableTiming), "cudaEventCreate", device);
        std::memcpy(staged, from, bytes);
        check(cudaMemcpyAsync(to, staged, bytes, cudaMemcpyHostToDevice, 0), "cudaMemcpyAsync", device);
        check(cudaEventRecord(s.done, 0), "cudaEventRecord", device);
    }

private:
    struct Slot {
        PinnedBuffer memory;
        cudaEvent_t done = nullptr;
    };
    std::array<Slot, 4> slots_{};
    std::size_t next_ = 0;
};

}  // namespace

void* PinnedBuffer::at_least(int device, std::size_t bytes) {
    if (bytes_ < bytes) {
        if (memory_ != nullptr) check(cudaFreeHost(memory_), "cudaFreeHost", device);
        memory_ = nullptr;
        bytes_ = 0;
        const std::size_t grown = std::max<std::size_t>(bytes, 4096);
        check(cudaMallocHost(&memory_, grown), "cudaMallocHost", device);
        bytes_ = grown;
    }
    return memory_;
}

void send_to_device(int device, void* to, const void* from, std::size_t bytes) {
    thread_local std::vector<PinnedRing> by_device;
    if (by_device.size() <= static_cast<std::size_t>(device)) by_device.resize(static_cast<std::size_t>(device) + 1);
    by_device[static_cast<std::size_t>(device)].send(device, to, from, bytes);
}

void* scratch(int device, std::size_t bytes) {
    thread_local std::vector<Scratch> by_device;
    if (by_device.size() <= static_cast<std::size_t>(device)) by_device.resize(static_cast<std::size_t>(device) + 1);
    return by_device[static_cast<std::size_t>(device)].at_least(device, bytes);
}

namespace {
std::string version_text(int v) { return std::to_string(v / 1000) + "." + std::to_string(v % 1000 / 10); }
}  // namespace

std::string CudaBackend::description() const {
    int runtime = 0, driver = 0;
    cudaRuntimeGetVersion(&runtime);
    cudaDriverGetVersion(&driver);
    return "CUDA runtime " + version_text(runtime) + ", " +
           (driver > 0 ? "driver " + version_text(driver) : std::string("no driver"));
}

std::vector<GpuInfo> CudaBackend::devices(std::string& why_none) const {
    int count = 0;
    if (const cudaError_t status = cudaGetDeviceCount(&count); status != cudaSuccess) {
        why_none = cudaGetErrorString(status);
        cudaGetLastError();  // not sticky: leave no error behind for the next call
        return {};
    }
    std::vector<GpuInfo> gpus;
    for (int i = 0; i < count; ++i) {
        cudaDeviceProp p{};
        check(cudaGetDeviceProperties(&p, i), "cudaGetDeviceProperties", i);
        gpus.push_back({.index = i,
                        .name = p.name,
                        .memory_bytes = static_cast<std::int64_t>(p.totalGlobalMem),
                        .compute_capability = 10 * p.major + p.minor});
    }
    if (gpus.empty()) why_none = "the CUDA runtime finds no GPU";
    return gpus;
}

void* CudaBackend::allocate(int device, std::size_t bytes) {
    // A graph would keep using the block after its tensor gives it back to the pool.
    refuse_while_recording("allocating memory");
    check(cudaSetDevice(device), "cudaSetDevice", device);
    return pool_.allocate(device, bytes);
}

void CudaBackend::release(int device, void* memory) {
    if (memory != nullptr) pool_.release(device, memory);
}

void CudaBackend::copy(void* to, const Device& to_device, const void* from, const Device& from_device,
                       std::size_t bytes) {
    const int device = to_device.is_cpu() ? from_device.index : to_device.index;
    check(cudaSetDevice(device), "cudaSetDevice", device);
    if (recording()) {  // only a copy within a GPU can be in a graph
        if (to_device.is_cpu() || from_device.is_cpu()) refuse_while_recording("a copy to or from the host");
        return check(cudaMemcpyAsync(to, from, bytes, cudaMemcpyDeviceToDevice, stream()), "cudaMemcpyAsync", device);
    }
    // A batch on its way to the GPU (fit streaming a training set too large
    // for it) goes through pinned memory without waiting: the next batch is
    // gathered on the host while the GPU still works on this one.
    constexpr std::size_t pinned_at_most = std::size_t{16} << 20;
    if (from_device.is_cpu() && !to_device.is_cpu() && bytes <= pinned_at_most)
        return send_to_device(device, to, from, bytes);
    // Unified addressing tells the direction from the pointers.
    check(cudaMemcpy(to, from, bytes, cudaMemcpyDefault), "cudaMemcpy", device);
}

cublasHandle_t CudaBackend::blas(int device) {
    const std::lock_guard lock(mutex_);
    if (handles_.size() <= static_cast<std::size_t>(device)) handles_.resize(static_cast<std::size_t>(device) + 1);
    cublasHandle_t& handle = handles_[static_cast<std::size_t>(device)];
    if (handle == nullptr) {
        check(cudaSetDevice(device), "cudaSetDevice", device);
        check(cublasCreate(&handle), "cublasCreate", device);
    }
    return handle;
}

CudaBackend::~CudaBackend() {
    // At exit: a GPU tensor destroyed after this (a static one) must not call
    // into a destroyed backend; its memory goes with the process.
    if (device_backend(Device::Kind::cuda) == this) register_device_backend(Device::Kind::cuda, nullptr);
    for (cublasHandle_t handle : handles_)
        if (handle != nullptr) cublasDestroy(handle);
}

}  // namespace mlp::backend::cuda

namespace mlp::cuda {

namespace {
backend::cuda::CudaBackend& the_backend() {
    static backend::cuda::CudaBackend backend;
    return backend;
}
}  // namespace

int enable() {
    backend::register_device_backend(Device::Kind::cuda, &the_backend());
    std::string why_none;
    return static_cast<int>(the_backend().devices(why_none).size());
}

void set_matmul_precision(MatmulPrecision precision) { the_backend().set_matmul_precision(precision); }

MatmulPrecision matmul_precision() { return the_backend().matmul_precision(); }

const char* matmul_precision_name(MatmulPrecision precision) {
    switch (precision) {
        case MatmulPrecision::tf32: return "tf32";
        case MatmulPrecision::bf16: return "bf16";
        case MatmulPrecision::float32: break;
    }
    return "float32";
}

MatmulPrecision matmul_precision_named(const std::string& name) {
    for (const MatmulPrecision p : {MatmulPrecision::float32, MatmulPrecision::tf32, MatmulPrecision::bf16})
        if (name == matmul_precision_name(p)) return p;
    throw ConfigError("matmul precision '" + name + "': the choices are float32, tf32 and bf16");
}

void set_allow_tf32(bool allowed) { set_matmul_precision(allowed ? MatmulPrecision::tf32 : MatmulPrecision::float32); }

bool allow_tf32() { return matmul_precision() == MatmulPrecision::tf32; }

MemoryUse memory_use(int gpu) {
    const auto use = the_backend().pool().use(gpu);
    return {static_cast<std::int64_t>(use.in_use), static_cast<std::int64_t>(use.cached)};
}

void empty_cache(int gpu) { the_backend().pool().empty(gpu); }

}  // namespace mlp::cuda
