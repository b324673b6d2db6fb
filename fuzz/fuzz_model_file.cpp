// Model files and checkpoints: any bytes as a .safetensors file given to
// Sequential::load, which reads the config, the input spec, the training
// metadata (epoch, step, RNG draws, callbacks' state, History) and the
// optimizer's state beside the weights.
#include <cstdint>

#include "mlp/core/error.hpp"
#include "mlp/model/sequential.hpp"
#include "scratch_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string path = mlp::fuzz::scratch_file(data, size, "-model.safetensors");
    try {
        const mlp::Sequential model = mlp::Sequential::load(path);
        (void)model.progress();
    } catch (const mlp::Error&) {
    }
    return 0;
}
