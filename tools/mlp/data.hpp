// `mlp data`: list the named data sets, install them, describe one.
#pragma once

#include <CLI/CLI.hpp>

namespace mlp::cli {

void add_data_command(CLI::App& app);

}  // namespace mlp::cli
