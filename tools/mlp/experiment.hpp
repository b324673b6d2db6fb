// `mlp experiment NAME`: the classic experiments of a course on MLPs, each
// writing a report page with its plots and what they show.
#pragma once

#include <CLI/CLI.hpp>

namespace mlp::cli {

void add_experiment_command(CLI::App& app);

}  // namespace mlp::cli
