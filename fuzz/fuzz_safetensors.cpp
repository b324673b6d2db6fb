// safetensors parser: any bytes as the content of a .safetensors file.
#include <cstdint>
#include <string_view>

#include "io/safetensors.hpp"
#include "mlp/core/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        mlp::io::parse_safetensors(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.safetensors");
    } catch (const mlp::Error&) {
    }
    return 0;
}
