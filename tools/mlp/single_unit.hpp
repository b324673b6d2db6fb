// `mlp perceptron` and `mlp adaline`: the single units that came before the
// MLP, trained on a 2-class data set, with their learning curve and (for 2-D
// data) their decision line drawn.
#pragma once

#include <CLI/CLI.hpp>

namespace mlp::cli {

void add_single_unit_commands(CLI::App& app);

}  // namespace mlp::cli
