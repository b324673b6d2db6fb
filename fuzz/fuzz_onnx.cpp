// ONNX files: any bytes given to Sequential::load_onnx, which parses the
// protobuf, rebuilds a model mlp wrote from its config and compares the graph,
// or walks a foreign graph into layers; a model that loads predicts one row.
#include <cstdint>

#include "mlp/core/error.hpp"
#include "mlp/model/sequential.hpp"
#include "scratch_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string path = mlp::fuzz::scratch_file(data, size, "-model.onnx");
    try {
        const mlp::Sequential model = mlp::Sequential::load_onnx(path);
        const mlp::Tensor x(mlp::Shape{1, model.inputs()}, model.dtype());
        (void)model.predict(x.view());
    } catch (const mlp::Error&) {
    }
    return 0;
}
