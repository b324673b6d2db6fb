// Device: parsing and naming, and what the registered device backends report.
#include "mlp/core/device.hpp"

#include <array>
#include <charconv>
#include <cstdio>

#include "../backend/device_backend.hpp"
#include "mlp/core/error.hpp"

namespace mlp {

Device Device::parse(std::string_view text) {
    if (text == "cpu") return cpu();
    if (text == "cuda") return cuda(0);
    if (text.starts_with("cuda:")) {
        const std::string_view number = text.substr(5);
        int index = -1;
        const auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), index);
        if (error == std::errc() && end == number.data() + number.size() && index >= 0 && !number.empty())
            return cuda(index);
    }
    throw ConfigError("device '" + std::string(text) + "': expected cpu, cuda or cuda:N (N = 0, 1, ...)");
}

std::string Device::str() const { return is_cpu() ? "cpu" : "cuda:" + std::to_string(index); }

std::string GpuInfo::str() const {
    char memory[32];
    std::snprintf(memory, sizeof memory, "%.1f GiB", static_cast<double>(memory_bytes) / (1024.0 * 1024 * 1024));
    return "cuda:" + std::to_string(index) + " " + name + " (" + memory + ", sm_" + std::to_string(compute_capability) +
           ")";
}

std::vector<GpuInfo> cuda_devices() {
    backend::DeviceBackend* cuda = backend::device_backend(Device::Kind::cuda);
    std::string why_none;
    return cuda ? cuda->devices(why_none) : std::vector<GpuInfo>{};
}

std::string cuda_status() {
    backend::DeviceBackend* cuda = backend::device_backend(Device::Kind::cuda);
    if (cuda == nullptr) return "CUDA not enabled in this program (link mlp::cuda and call mlp::cuda::enable())";
    std::string why_none;
    const std::vector<GpuInfo> gpus = cuda->devices(why_none);
    std::string text = cuda->description() + "; ";
    if (gpus.empty()) return text + "no GPU: " + why_none;
    text += std::to_string(gpus.size()) + (gpus.size() == 1 ? " GPU: " : " GPUs: ");
    for (std::size_t i = 0; i < gpus.size(); ++i) text += (i ? ", " : "") + gpus[i].str();
    return text;
}

void require_device(const Device& device) {
    if (!device.is_cpu()) (void)backend::backend_for(device);
}

namespace backend {

namespace {
/// A registered backend and how many GPUs it found then: asked once, as
/// every op checks its device against it.
struct Registered {
    DeviceBackend* backend = nullptr;
    int gpus = 0;
    std::string why_none;
};
std::array<Registered, 2>& registry() {
    // Never destroyed: a backend's own static destructor unregisters itself at
    // exit, possibly after this function's statics would be gone.
    static auto* backends = new std::array<Registered, 2>{};
    return *backends;
}
}  // namespace

void register_device_backend(Device::Kind kind, DeviceBackend* backend) {
    Registered entry;
    entry.backend = backend;
    if (backend != nullptr) entry.gpus = static_cast<int>(backend->devices(entry.why_none).size());
    registry()[static_cast<std::size_t>(kind)] = std::move(entry);
}

DeviceBackend* device_backend(Device::Kind kind) { return registry()[static_cast<std::size_t>(kind)].backend; }

DeviceBackend& backend_for(const Device& device) {
    if (device.is_cpu()) throw ConfigError("backend_for: the CPU is not a device backend");
    const Registered& entry = registry()[static_cast<std::size_t>(device.kind)];
    if (entry.backend == nullptr) throw ConfigError(device.str() + ": " + cuda_status());
    if (device.index < 0 || device.index >= entry.gpus)
        throw ConfigError(
            device.str() + ": " +
            (entry.gpus == 0
                 ? "no GPU: " + entry.why_none
                 : "there " +
                       std::string(entry.gpus == 1 ? "is 1 GPU" : "are " + std::to_string(entry.gpus) + " GPUs") +
                       " (cuda:0 to cuda:" + std::to_string(entry.gpus - 1) + ")"));
    return *entry.backend;
}

DeviceBackend* backend_of(const char* op, std::initializer_list<const TensorView*> views) {
    const TensorView* first = nullptr;
    for (const TensorView* v : views) {
        if (v->raw() == nullptr) continue;
        if (first == nullptr) {
            first = v;
        } else if (v->device() != first->device()) {
            std::string where;
            for (const TensorView* w : views)
                if (w->raw() != nullptr) where += (where.empty() ? "" : ", ") + w->device().str();
            throw ConfigError(std::string(op) + ": its tensors are on " + where +
                              ": an op runs on one device; copy them there first (Tensor::to)");
        }
    }
    if (first == nullptr || first->device().is_cpu()) return nullptr;
    return &backend_for(first->device());
}

}  // namespace backend
}  // namespace mlp
