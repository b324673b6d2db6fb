// PyTorch state_dicts: any bytes as a .safetensors file given to
// load_torch_weights of a fixed model (Dense, BatchNormalization, Dense).
#include <cstdint>

#include "mlp/core/error.hpp"
#include "mlp/nn/batch_normalization.hpp"
#include "mlp/nn/dense.hpp"
#include "mlp/model/sequential.hpp"
#include "scratch_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string path = mlp::fuzz::scratch_file(data, size, "-state_dict.safetensors");
    try {
        mlp::Sequential model(2, {mlp::Dense(3, "relu"), mlp::BatchNormalization(), mlp::Dense(1, "sigmoid")});
        model.load_torch_weights(path);
    } catch (const mlp::Error&) {
    }
    return 0;
}
