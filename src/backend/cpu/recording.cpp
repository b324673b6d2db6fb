// record(): the CPU runs each op as it comes, so only a device records.
#include "../device_backend.hpp"
#include "../ops.hpp"

namespace mlp::backend {

std::unique_ptr<Recording> record(const Device& device, const std::function<void()>& work) {
    if (device.is_cpu()) return nullptr;
    return backend_for(device).record(device.index, work);
}

}  // namespace mlp::backend
