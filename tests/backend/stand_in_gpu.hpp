// A stand-in GPU for machines without one: a DeviceBackend registered as
// cuda:0 whose memory is host memory behind addresses the host cannot read
// (non-canonical: any read by the CPU is a segfault, as with a real GPU's
// pointers), and whose ops run the CPU's ops on the translated views. Tests
// that move tensors and models to "the GPU" thereby check, on any machine,
// that every byte goes through the device backend: a forgotten copy or a host
// read of device memory crashes instead of passing unnoticed. The numbers are
// the CPU's, so results must match it exactly; the CUDA kernels themselves
// are checked where a real GPU is (cuda_test, the same op tests).
#pragma once

#include <cstddef>

#include "../../src/backend/device_backend.hpp"

namespace mlp::testing {

/// Registers the stand-in as the CUDA backend (once per process); returns its GPU count, 1.
int install_stand_in_gpu();
/// Makes the stand-in's memory this many bytes (0: as much as the host has):
/// past it, allocations throw DeviceMemoryError as a full GPU's do.
void set_stand_in_memory(std::size_t bytes);
/// Bytes the stand-in's tensors hold now.
std::size_t stand_in_memory_in_use();
/// How many recordings (backend::record) have been replayed, and how many
/// recordings failed, since the process started.
std::size_t stand_in_replays();
std::size_t stand_in_failed_recordings();

/// The stand-in's memory limited to `bytes` while in scope, unlimited again after.
class StandInMemoryLimit {
public:
    explicit StandInMemoryLimit(std::size_t bytes) { set_stand_in_memory(bytes); }
    StandInMemoryLimit(const StandInMemoryLimit&) = delete;
    StandInMemoryLimit& operator=(const StandInMemoryLimit&) = delete;
    ~StandInMemoryLimit() { set_stand_in_memory(0); }
};

}  // namespace mlp::testing
