// readback() on a GPU: each view is copied into pinned host memory after the
// work before it (cudaMemcpyAsync on this thread's stream), and an event marks
// when the copies are done; arrived() waits for that event alone.
#include <vector>

#include "cuda_backend.cuh"

namespace mlp::backend::cuda {

namespace {

class PinnedReadback final : public Readback {
public:
    explicit PinnedReadback(int device) : device_(device) {}
    PinnedReadback(const PinnedReadback&) = delete;
    PinnedReadback& operator=(const PinnedReadback&) = delete;
    ~PinnedReadback() override {
        // The copies may still be on their way into this memory; errors at exit are no news.
        if (done_ != nullptr) {
            cudaEventSynchronize(done_);
            cudaEventDestroy(done_);
        }
    }

    void send(std::span<const TensorView> from) override {
        refuse_while_recording("a copy to the host");
        check(cudaSetDevice(device_), "cudaSetDevice", device_);
        if (done_ == nullptr)
            check(cudaEventCreateWithFlags(&done_, cudaEventDisableTiming), "cudaEventCreate", device_);
        else  // the memory is about to be written again: the last send's copies must be done
            check(cudaEventSynchronize(done_), "cudaEventSynchronize", device_);
        if (buffers_.size() < from.size()) buffers_.resize(from.size());
        views_.clear();
        for (std::size_t i = 0; i < from.size(); ++i) {
            const std::size_t bytes = static_cast<std::size_t>(from[i].numel()) * size_of(from[i].dtype());
            void* host = buffers_[i].at_least(device_, bytes);
            check(cudaMemcpyAsync(host, from[i].raw(), bytes, cudaMemcpyDeviceToHost, stream()), "cudaMemcpyAsync",
                  device_);
            views_.emplace_back(host, from[i].shape(), from[i].dtype(), Device::cpu());
        }
        check(cudaEventRecord(done_, stream()), "cudaEventRecord", device_);
    }

    std::span<const TensorView> arrived() override {
        if (done_ != nullptr) check(cudaEventSynchronize(done_), "cudaEventSynchronize", device_);
        return views_;
    }

private:
    int device_;
    std::vector<PinnedBuffer> buffers_;
    std::vector<TensorView> views_;
    cudaEvent_t done_ = nullptr;
};

}  // namespace

std::unique_ptr<Readback> CudaBackend::readback(int device) { return std::make_unique<PinnedReadback>(device); }

}  // namespace mlp::backend::cuda
