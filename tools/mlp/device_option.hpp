// --device and --matmul-precision: where a command runs its model ("cpu",
// "cuda", "cuda:1", as PyTorch spells it) and how its products are rounded there.
#pragma once

#include <string>

#include "mlp/core/device.hpp"

namespace CLI {
class App;
}

namespace mlp::cli {

struct DeviceFlags {
    std::string device = "cpu";
    std::string matmul_precision = "float32";
    /// `where` says what the command does there: "Where to run the model".
    void add_to(CLI::App& cmd, const std::string& where);
    /// The device, ready to use: for a GPU, the CUDA backend enabled, the GPU
    /// checked and the precision set. Throws ConfigError saying what is
    /// missing: a build without CUDA, no GPU, a GPU index past the last, or a
    /// precision other than float32 on the CPU.
    Device usable() const;
};

}  // namespace mlp::cli
