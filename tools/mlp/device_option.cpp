#include "device_option.hpp"

#include <CLI/CLI.hpp>

#include "mlp/core/error.hpp"

#ifdef MLP_CLI_WITH_CUDA
#include "mlp/cuda/cuda.hpp"
#endif

namespace mlp::cli {

void DeviceFlags::add_to(CLI::App& cmd, const std::string& where) {
    cmd.add_option("--device", device, where + ": cpu, cuda (the first GPU) or cuda:N")->capture_default_str();
    cmd.add_option("--matmul-precision", matmul_precision,
                   "Products on the GPU: float32, or on tensor cores tf32 (about 1e-3 relative error) or bf16 "
                   "(about 1e-2); weights and activations stay float32")
        ->capture_default_str()
        ->check(CLI::IsMember({"float32", "tf32", "bf16"}));
}

Device DeviceFlags::usable() const {
    const Device where = Device::parse(device);
    if (where.is_cpu()) {
        if (matmul_precision != "float32")
            throw ConfigError("--matmul-precision " + matmul_precision +
                              ": products on the CPU are float32; the option is for --device cuda");
        return where;
    }
#ifdef MLP_CLI_WITH_CUDA
    cuda::enable();
    try {
        require_device(where);
    } catch (const ConfigError& e) {
        throw ConfigError(std::string("--device ") + e.what());  // "--device cuda:1: there is 1 GPU ..."
    }
    cuda::set_matmul_precision(cuda::matmul_precision_named(matmul_precision));
#else
    throw ConfigError("--device " + device +
                      ": this build of mlp has no CUDA backend (it is built where CMake finds the CUDA "
                      "toolkit: nvcc and cuBLAS, e.g. in /usr/local/cuda)");
#endif
    return where;
}

}  // namespace mlp::cli
