// `mlp import MODEL.onnx --out MODEL.safetensors`: a model from PyTorch, Keras
// (tf2onnx) or mlp's own export, as an mlp model file.
#pragma once

#include <CLI/CLI.hpp>

namespace mlp::cli {

void add_import_command(CLI::App& app);

}  // namespace mlp::cli
