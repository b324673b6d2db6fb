// The CUDA backend's entry point (library mlp::cuda, built when the CUDA
// toolkit is found). A program that links it calls enable() once; devices
// "cuda:N" are then usable, and mlp::cuda_devices() lists the GPUs.
#pragma once

namespace mlp::cuda {

/// Registers the CUDA backend with the core (again is harmless); returns how
/// many GPUs it sees: 0 on a machine without one, or without the driver
/// (mlp::cuda_status() says which).
int enable();

}  // namespace mlp::cuda
