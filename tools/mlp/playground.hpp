// `mlp playground [--out DIR] [--serve [--port N]]`: the playground page (the
// library compiled to WebAssembly, web/playground) written out or served.
#pragma once

#include <CLI/CLI.hpp>

namespace mlp::cli {

void add_playground_command(CLI::App& app);

}  // namespace mlp::cli
