// IDX parser: any bytes as the content of an (uncompressed) IDX file.
#include <cstdint>
#include <string_view>

#include "mlp/core/error.hpp"
#include "mlp/data/idx.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        mlp::data::parse_idx(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.idx");
    } catch (const mlp::Error&) {
    }
    return 0;
}
