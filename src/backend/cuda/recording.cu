// Recording ops as a CUDA graph (ops.hpp's record()): the recording thread's
// ops go to a capture stream of its own instead of the default stream, so
// that other threads' ops stay out of the graph; the graph is replayed on the
// default stream, after the work before it. An op that cannot be in a graph
// (a result for the host, an allocation, host memory) throws while recording,
// and the capture is dropped: the caller then runs the work as usual.
#include "cuda_backend.cuh"

#include <string>
#include <utility>
#include <vector>

#include "launch.cuh"

#include "mlp/core/error.hpp"

namespace mlp::backend::cuda {

namespace {

/// A host thread's means of recording on one GPU, made on its first
/// recording there and kept: a capture stream, and a cuBLAS handle bound to it
/// (the shared handles stay on the default stream).
class CaptureTools {
public:
    CaptureTools() = default;
    CaptureTools(CaptureTools&& other) noexcept
        : stream(std::exchange(other.stream, nullptr)),
          blas(std::exchange(other.blas, nullptr)),
          device(other.device) {}
    CaptureTools& operator=(CaptureTools&&) = delete;
    ~CaptureTools() {
        // At thread exit; at process exit the runtime may be gone already.
        if (cudaSetDevice(device) != cudaSuccess) return;
        if (blas != nullptr) cublasDestroy(blas);
        if (stream != nullptr) cudaStreamDestroy(stream);
    }
    void make(int gpu) {
        if (stream != nullptr) return;
        device = gpu;
        check(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking), "cudaStreamCreate", gpu);
        check(cublasCreate(&blas), "cublasCreate", gpu);
        check(cublasSetStream(blas, stream), "cublasSetStream", gpu);
    }
    cudaStream_t stream = nullptr;
    cublasHandle_t blas = nullptr;
    int device = 0;
};

thread_local std::vector<CaptureTools> tools_by_device;
thread_local int recording_on = -1;  // the GPU this thread records on, or -1

CaptureTools& tools(int device) {
    if (tools_by_device.size() <= static_cast<std::size_t>(device))
        tools_by_device.resize(static_cast<std::size_t>(device) + 1);
    CaptureTools& t = tools_by_device[static_cast<std::size_t>(device)];
    t.make(device);
    return t;
}

/// A graph ready to launch: one training step's ops.
class CudaRecording final : public Recording {
public:
    CudaRecording(int device, cudaGraphExec_t graph) : device_(device), graph_(graph) {}
    CudaRecording(const CudaRecording&) = delete;
    CudaRecording& operator=(const CudaRecording&) = delete;
    ~CudaRecording() override {
        if (cudaSetDevice(device_) == cudaSuccess) cudaGraphExecDestroy(graph_);
    }
    void replay() override {
        check(cudaSetDevice(device_), "cudaSetDevice", device_);
        check(cudaGraphLaunch(graph_, nullptr), "cudaGraphLaunch", device_);
    }

private:
    int device_;
    cudaGraphExec_t graph_;
};

}  // namespace

cudaStream_t stream() { return recording_on >= 0 ? tools(recording_on).stream : nullptr; }

bool recording() { return recording_on >= 0; }

void refuse_while_recording(const char* what) {
    if (recording_on >= 0)
        throw Error(std::string("CUDA: ") + what + " on cuda:" + std::to_string(recording_on) +
                    " cannot be recorded in a graph");
}

cublasHandle_t CudaBackend::blas_here(int device) { return recording_on == device ? tools(device).blas : blas(device); }

std::unique_ptr<Recording> CudaBackend::record(int device, const std::function<void()>& work) {
    check(cudaSetDevice(device), "cudaSetDevice", device);
    const cudaStream_t capture = tools(device).stream;
    // Thread-local mode: other threads' calls meanwhile are theirs, not the graph's.
    check(cudaStreamBeginCapture(capture, cudaStreamCaptureModeThreadLocal), "cudaStreamBeginCapture", device);
    recording_on = device;
    bool complete = true;
    try {
        work();
    } catch (const std::exception&) {
        complete = false;  // an op that cannot be in a graph: nothing has run
    }
    recording_on = -1;
    cudaGraph_t graph = nullptr;
    const cudaError_t ended = cudaStreamEndCapture(capture, &graph);
    (void)cudaGetLastError();  // a dropped capture leaves its error behind
    if (!complete || ended != cudaSuccess || graph == nullptr) {
        if (graph != nullptr) cudaGraphDestroy(graph);
        return nullptr;
    }
    cudaGraphExec_t ready = nullptr;
    const cudaError_t made = cudaGraphInstantiate(&ready, graph, 0);
    cudaGraphDestroy(graph);
    if (made != cudaSuccess) {
        (void)cudaGetLastError();
        return nullptr;
    }
    return std::make_unique<CudaRecording>(device, ready);
}

}  // namespace mlp::backend::cuda
