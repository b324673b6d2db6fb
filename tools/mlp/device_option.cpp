#include "device_option.hpp"

#include "mlp/core/error.hpp"

#ifdef MLP_CLI_WITH_CUDA
#include "mlp/cuda/cuda.hpp"
#endif

namespace mlp::cli {

Device usable_device(const std::string& text) {
    const Device device = Device::parse(text);
    if (device.is_cpu()) return device;
#ifdef MLP_CLI_WITH_CUDA
    cuda::enable();
    try {
        require_device(device);
    } catch (const ConfigError& e) {
        throw ConfigError(std::string("--device ") + e.what());  // "--device cuda:1: there is 1 GPU ..."
    }
#else
    throw ConfigError("--device " + text +
                      ": this build of mlp has no CUDA backend (it is built where CMake finds the CUDA "
                      "toolkit: nvcc and cuBLAS, e.g. in /usr/local/cuda)");
#endif
    return device;
}

}  // namespace mlp::cli
