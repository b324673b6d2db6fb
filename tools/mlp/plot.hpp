// `mlp plot`: pictures without training: the activation functions and their
// derivatives, or a saved History's learning curves, as an HTML page.
#pragma once

#include <CLI/CLI.hpp>

namespace mlp::cli {

void add_plot_command(CLI::App& app);

}  // namespace mlp::cli
