// Where a tensor's memory lives and its ops run: the CPU, or a CUDA GPU by
// index, spelled as PyTorch spells it ("cpu", "cuda", "cuda:1"). The CPU is
// always there; CUDA comes from the optional backend library mlp::cuda (built
// when the CUDA toolkit is found), which a program links and enables:
//
//   mlp::cuda::enable();                  // mlp/cuda/cuda.hpp; returns the GPU count
//   for (const auto& gpu : mlp::cuda_devices()) std::puts(gpu.str().c_str());
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mlp {

struct Device {
    enum class Kind : std::uint8_t { cpu, cuda };
    Kind kind = Kind::cpu;
    int index = 0;  ///< which GPU, from 0

    static constexpr Device cpu() { return {}; }
    static constexpr Device cuda(int index = 0) { return {Kind::cuda, index}; }
    /// "cpu", "cuda" (GPU 0) or "cuda:N"; throws ConfigError naming the text otherwise.
    static Device parse(std::string_view text);
    bool is_cpu() const { return kind == Kind::cpu; }
    /// "cpu", "cuda:0"
    std::string str() const;
    bool operator==(const Device&) const = default;
};

/// One GPU as the CUDA backend sees it.
struct GpuInfo {
    int index = 0;
    std::string name = "";          ///< "NVIDIA H200"
    std::int64_t memory_bytes = 0;  ///< total device memory
    int compute_capability = 0;     ///< 90 for sm_90
    /// "cuda:0 NVIDIA H200 (139.8 GiB, sm_90)"
    std::string str() const;
};

/// The GPUs of the enabled CUDA backend; empty when none is enabled or none is there.
std::vector<GpuInfo> cuda_devices();
/// What the program has for CUDA, in a line: the backend and runtime with the
/// GPU count, or why there is none ("not enabled in this program: link
/// mlp::cuda and call mlp::cuda::enable()").
std::string cuda_status();
/// Throws ConfigError, saying what is missing, unless `device` can be used now.
void require_device(const Device& device);

}  // namespace mlp
