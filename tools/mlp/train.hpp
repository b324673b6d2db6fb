// `mlp train`: train a network on a named data set, print test scores, write History.
#pragma once

#include <CLI/CLI.hpp>

namespace mlp::cli {

void add_train_command(CLI::App& app);

}  // namespace mlp::cli
