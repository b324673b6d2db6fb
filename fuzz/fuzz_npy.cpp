// .npy parser: any bytes as the content of a .npy file.
#include <cstdint>
#include <string_view>

#include "mlp/core/error.hpp"
#include "mlp/data/npy.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        mlp::data::parse_npy(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.npy");
    } catch (const mlp::Error&) {
    }
    return 0;
}
