// The model's JSON config: any bytes parsed as JSON, then read as a model;
// a model that builds must also predict.
#include <cstdint>
#include <nlohmann/json.hpp>

#include "io/config.hpp"
#include "mlp/core/error.hpp"
#include "mlp/model/sequential.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto config = nlohmann::json::parse(data, data + size, nullptr, false);
    if (config.is_discarded()) return 0;
    try {
        const mlp::Sequential model = mlp::io::model_from_config(config);
        if (model.built()) {
            mlp::Tensor x(mlp::Shape{2, model.inputs()}, model.dtype());
            model.predict(x);
        }
    } catch (const mlp::Error&) {
    }
    return 0;
}
