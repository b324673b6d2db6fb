// `mlp train`: train a network on a named data set, print test scores, write History.
#pragma once

#include <CLI/CLI.hpp>
#include <stdexcept>

namespace mlp::cli {

/// Thrown when Ctrl-C stopped training: the command exits 130, as a shell expects.
struct TrainingInterrupted : std::runtime_error {
    using std::runtime_error::runtime_error;
};

void add_train_command(CLI::App& app);

}  // namespace mlp::cli
