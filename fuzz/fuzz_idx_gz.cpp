// IDX files as they are installed, gzip-compressed: any bytes as the content
// of a .gz file (zlib also passes bytes that are not gzip through as they are).
#include <cstdint>

#include "mlp/core/error.hpp"
#include "mlp/data/idx.hpp"
#include "scratch_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string path = mlp::fuzz::scratch_file(data, size, "-images-idx3-ubyte.gz");
    try {
        mlp::data::load_idx_tensor(path);
    } catch (const mlp::Error&) {
    }
    return 0;
}
