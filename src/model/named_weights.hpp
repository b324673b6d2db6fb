// A model's weights by name, shared by the weight list API and model files.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "../io/safetensors.hpp"
#include "mlp/model/sequential.hpp"

namespace mlp {

/// Each weight of each layer with its name ("dense_1.kernel"), in get_weights() order.
std::vector<std::pair<std::string, TensorView>> named_weights(const Sequential& model);

/// The weights to be saved to `path`, each checked finite first: a diverged
/// model is not worth keeping and would overwrite a good file (NumericError).
std::vector<std::pair<std::string, TensorView>> finite_weights(const Sequential& model, const std::string& path);

/// Copies the tensors of `file` (read from `path`) into `model` by name; throws
/// IOError for a missing tensor and ShapeError for one of another shape.
void assign_weights(Sequential& model, const io::NamedTensors& file, const std::string& path);

}  // namespace mlp
