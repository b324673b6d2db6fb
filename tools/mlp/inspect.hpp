// The subcommands that use a trained model or a spec without training it:
// `mlp evaluate`, `mlp predict`, `mlp summary` and `mlp gradcheck`.
#pragma once

#include <CLI/CLI.hpp>

namespace mlp::cli {

void add_evaluate_command(CLI::App& app);
void add_predict_command(CLI::App& app);
void add_summary_command(CLI::App& app);
void add_gradcheck_command(CLI::App& app);

}  // namespace mlp::cli
