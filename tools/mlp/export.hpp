// `mlp export MODEL --onnx FILE`: a trained model in ONNX, for ONNX Runtime,
// onnxruntime-web, TensorRT or OpenVINO.
#pragma once

#include <CLI/CLI.hpp>

namespace mlp::cli {

void add_export_command(CLI::App& app);

}  // namespace mlp::cli
