// readback(): on the CPU, and by default on a device, each view is copied into
// host tensors of the readback's own when it is sent.
#include "../device_backend.hpp"
#include "../ops.hpp"

namespace mlp::backend {

namespace {

class CopyingReadback final : public Readback {
public:
    void send(std::span<const TensorView> from) override {
        if (copies_.size() < from.size()) copies_.resize(from.size());
        views_.clear();
        for (std::size_t i = 0; i < from.size(); ++i) {
            Tensor& copy = copies_[i];
            if (copy.dtype() != from[i].dtype()) copy = Tensor(Shape{0}, from[i].dtype());
            copy.resize(from[i].shape());
            backend::copy(from[i], copy);
            views_.push_back(copy.view());
        }
    }
    std::span<const TensorView> arrived() override { return views_; }

private:
    std::vector<Tensor> copies_;
    std::vector<TensorView> views_;
};

}  // namespace

std::unique_ptr<Readback> DeviceBackend::readback(int /*device*/) { return std::make_unique<CopyingReadback>(); }

std::unique_ptr<Readback> readback(const Device& device) {
    if (device.is_cpu()) return std::make_unique<CopyingReadback>();
    return backend_for(device).readback(device.index);
}

}  // namespace mlp::backend
