// A model's configuration as JSON: the layers with their settings, and the
// compile settings (optimizer, loss, metrics). Saved in model files, and the
// form model spec files take.
#pragma once

#include <nlohmann/json.hpp>

#include "mlp/model/sequential.hpp"

namespace mlp::io {

nlohmann::ordered_json model_config(const Sequential& model);
/// Builds (and compiles, when the config has "compile") the model a config
/// describes; throws ConfigError naming the layer and field that is wrong.
Sequential model_from_config(const nlohmann::json& config);

nlohmann::ordered_json optimizer_config(const OptimizerOptions& options);
OptimizerOptions optimizer_from_config(const nlohmann::json& config);

}  // namespace mlp::io
