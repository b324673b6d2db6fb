// The model file's "input_spec" metadata (format version 2 on): what the model
// was trained on, as JSON that any reader can follow.
//   {"features": 5, "feature_names": [...], "columns": [{"name": "color", "categories": [...]}, ...],
//    "label": "species", "label_position": 3, "task": "classification", "class_names": [...],
//    "image_shape": [28, 28], "scaling": "standardize", "source": "<how the trainer read the data>"}
#pragma once

#include <nlohmann/json.hpp>

#include "mlp/data/input_spec.hpp"

namespace mlp::io {

nlohmann::ordered_json input_spec_json(const data::InputSpec& spec);
/// Throws ConfigError naming the field that is missing or wrong.
data::InputSpec input_spec_from_json(const nlohmann::ordered_json& j);

}  // namespace mlp::io
