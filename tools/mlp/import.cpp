// `mlp import MODEL.onnx --out MODEL.safetensors`: an ONNX model as an mlp model
// file, to inspect (summary, plot), evaluate, predict with or fine-tune.
#include "import.hpp"

#include <cstdio>
#include <memory>

#include "mlp/mlp.hpp"
#include "run_dir.hpp"

namespace mlp::cli {

namespace {
struct ImportArgs {
    std::string onnx;
    std::string out;
};
}  // namespace

void add_import_command(CLI::App& app) {
    auto args = std::make_shared<ImportArgs>();
    auto* cmd = app.add_subcommand(
        "import", "Read an ONNX model (PyTorch's nn.Sequential, a Keras Dense stack, mlp's own) as an mlp model");
    cmd->footer(
        "Example:\n  mlp import net.onnx --out net.safetensors\n"
        "  mlp summary net.safetensors\n"
        "  mlp evaluate net.safetensors --data iris\n"
        "A graph of Gemm (or MatMul and Add), activations, BatchNormalization, Sub/Div and residual Adds\n"
        "reads as Dense, Activation, BatchNormalization, Normalization and Residual layers; anything else\n"
        "fails naming its node. A file mlp exported comes back whole: names, Dropout, compile settings.");
    cmd->add_option("onnx", args->onnx, "The ONNX file to read")->required()->check(CLI::ExistingFile);
    cmd->add_option("--out", args->out, "The model file to write (.safetensors)")->required();
    cmd->callback([args] {
        const Sequential model = Sequential::load_onnx(args->onnx);
        create_parent_directories(args->out);
        model.save(args->out);
        std::printf("%s", model.summary_text().c_str());
        std::printf("wrote %s (%zu layers, %lld inputs, %lld outputs)\n", args->out.c_str(), model.size(),
                    static_cast<long long>(model.inputs()), static_cast<long long>(model.outputs()));
    });
}

}  // namespace mlp::cli
