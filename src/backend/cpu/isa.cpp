// Which vector path the CPU backend's loops take (dispatch.hpp): the widest
// the CPU and its operating system support, read once; MLP_ISA may narrow it.
#include <cstdlib>
#include <cstring>
#include <string>

#include "dispatch.hpp"
#include "mlp/core/error.hpp"
#include "mlp/core/threads.hpp"

namespace mlp {

namespace backend::cpu {

namespace {

Isa widest_supported() {
#ifdef MLP_DISPATCH_ISA
    // libgcc's checks include the OS saving the vector registers (XCR0).
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512bw") &&
        __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512cd"))
        return Isa::avx512;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("bmi2"))
        return Isa::avx2;
#endif
    return Isa::baseline;
}

Isa chosen() {
    const Isa widest = widest_supported();
    const char* asked = std::getenv("MLP_ISA");
    if (!asked || !*asked) return widest;
    for (const Isa candidate : {Isa::baseline, Isa::avx2, Isa::avx512})
        if (std::strcmp(asked, isa_name(candidate)) == 0) return candidate <= widest ? candidate : widest;
    throw ConfigError(std::string("MLP_ISA must be baseline, avx2 or avx512, got '") + asked + "'");
}

}  // namespace

Isa isa() {
    static const Isa path = chosen();
    return path;
}

const char* isa_name(Isa isa) {
    switch (isa) {
        case Isa::avx512: return "avx512";
        case Isa::avx2: return "avx2";
        case Isa::baseline: break;
    }
    return "baseline";
}

}  // namespace backend::cpu

std::string vector_path() {
#ifdef MLP_DISPATCH_ISA
    return backend::cpu::isa_name(backend::cpu::isa());
#else
    return "native";  // built for the machine's own CPU (MLP_NATIVE)
#endif
}

}  // namespace mlp
