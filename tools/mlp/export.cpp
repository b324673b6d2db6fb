// `mlp export MODEL --onnx FILE`: a trained model for other runtimes.
#include "export.hpp"

#include <cstdio>
#include <memory>

#include "inputs.hpp"
#include "mlp/mlp.hpp"
#include "run_dir.hpp"

namespace mlp::cli {

namespace {
struct ExportArgs {
    std::string model;
    std::string onnx;
    int opset = 17;
};
}  // namespace

void add_export_command(CLI::App& app) {
    auto args = std::make_shared<ExportArgs>();
    auto* cmd = app.add_subcommand("export", "Write a model in another format: ONNX, for ONNX Runtime and the rest");
    cmd->footer(
        "Example:\n  mlp export runs/iris/model.safetensors --onnx iris.onnx\n"
        "  mlp export model.safetensors --onnx model.onnx --opset 18");
    cmd->add_option("model", args->model, "A model file (.safetensors) or a run directory")
        ->required()
        ->check(CLI::ExistingPath);
    cmd->add_option("--onnx", args->onnx, "The ONNX file to write")->required();
    cmd->add_option("--opset", args->opset, "The ONNX operator set to declare, 13 to 21")->capture_default_str();
    cmd->callback([args] {
        const Sequential model = Sequential::load(model_file(args->model));
        create_parent_directories(args->onnx);
        model.export_onnx(args->onnx, {.opset = args->opset});
        std::printf("wrote %s (ONNX opset %d; input \"input\" (batch, %lld), output \"output\" (batch, %lld))\n",
                    args->onnx.c_str(), args->opset, static_cast<long long>(model.inputs()),
                    static_cast<long long>(model.outputs()));
    });
}

}  // namespace mlp::cli
