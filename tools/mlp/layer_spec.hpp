// The compact layer spec of the command line: "256:relu,batchnorm,dropout:0.2,10:softmax".
#pragma once

#include <string>

#include "mlp/model/sequential.hpp"
#include "mlp/nn/dense.hpp"

namespace mlp::cli {

/// Adds the layers `spec` lists to `model`: each item is UNITS[:ACTIVATION[:ALPHA]]
/// (a Dense layer, made with `dense`: its initializers and kernel penalty),
/// dropout:RATE, or batchnorm. Throws ConfigError naming the item that does not parse.
void add_layers(Sequential& model, const std::string& spec, const DenseOptions& dense = {});

}  // namespace mlp::cli
