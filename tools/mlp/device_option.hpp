// --device: where a command runs its model ("cpu", "cuda", "cuda:1"), as PyTorch spells it.
#pragma once

#include <string>

#include "mlp/core/device.hpp"

namespace mlp::cli {

/// The device `text` names, ready to use: for a GPU, the CUDA backend enabled
/// and the GPU checked. Throws ConfigError saying what is missing: a build
/// without CUDA, no GPU, or a GPU index past the last.
Device usable_device(const std::string& text);

}  // namespace mlp::cli
