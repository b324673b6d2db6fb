// The compact layer spec of the command line: "256:relu,128:relu,10:softmax".
#pragma once

#include <string>

#include "mlp/model/sequential.hpp"

namespace mlp::cli {

/// Adds the layers `spec` lists to `model`: each item is UNITS[:ACTIVATION[:ALPHA]].
/// Throws ConfigError naming the item that does not parse.
void add_layers(Sequential& model, const std::string& spec);

}  // namespace mlp::cli
