// `mlp summary MODEL|SPEC.json` or `mlp summary --layers ... --inputs N`: the layer table.
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>

#include "inputs.hpp"
#include "inspect.hpp"
#include "layer_spec.hpp"
#include "mlp/mlp.hpp"
#include "run_dir.hpp"

namespace mlp::cli {

namespace {

struct SummaryArgs {
    std::string file;
    std::string layers;
    std::int64_t inputs = 0;
    std::string diagram;  // an SVG file to draw the network in
};

std::string read_text(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw IOError("'" + path + "': cannot open for reading");
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

/// The table, and the drawing when --diagram asks for it.
void show(const Sequential& model, const SummaryArgs& a) {
    model.summary();
    if (a.diagram.empty()) return;
    create_parent_directories(a.diagram);
    write_file(a.diagram, report::network_diagram(model));
    std::printf("drew the network in %s\n", a.diagram.c_str());
}

void summary(const SummaryArgs& a) {
    if (a.file.empty() == a.layers.empty()) throw ConfigError("give a model file, a JSON spec, or --layers");
    if (!a.layers.empty()) {
        if (a.inputs < 1) throw ConfigError("--layers needs --inputs, the number of input features");
        Sequential model(0);
        add_layers(model, a.layers);
        model.build(a.inputs);
        show(model, a);
        return;
    }
    if (ends_with(a.file, ".json")) {
        Sequential model = Sequential::from_json(read_text(a.file));
        if (!model.built()) {
            if (a.inputs < 1) throw ConfigError("'" + a.file + "' gives no \"inputs\"; add --inputs N");
            model.build(a.inputs);
        }
        show(model, a);
        return;
    }
    const Sequential model = Sequential::load(model_file(a.file));
    show(model, a);
    if (model.progress().epoch > 0)
        std::printf("Trained %d epochs (%lld steps)\n", model.progress().epoch,
                    static_cast<long long>(model.progress().step));
}

}  // namespace

void add_summary_command(CLI::App& app) {
    auto args = std::make_shared<SummaryArgs>();
    auto* cmd = app.add_subcommand("summary", "The layer table of a saved model, a JSON spec or a --layers spec");
    cmd->footer(
        "Example:\n  mlp summary runs/fashion/model.safetensors\n"
        "  mlp summary --layers 256:relu,dropout:0.2,10:softmax --inputs 784\n"
        "  mlp summary --layers 3:sigmoid,3:sigmoid,1:sigmoid --inputs 2 --diagram net.svg");
    cmd->add_option("file", args->file, "A model file (.safetensors), a run directory, or a JSON spec (.json)")
        ->check(CLI::ExistingPath);
    cmd->add_option("--layers", args->layers, "A compact layer spec, as mlp train takes it");
    cmd->add_option("--inputs", args->inputs, "Input features, for --layers or a spec without \"inputs\"");
    cmd->add_option("--diagram", args->diagram,
                    "Also draw the network as an SVG file: a column of units per layer, every connection drawn");
    cmd->callback([args] { summary(*args); });
}

}  // namespace mlp::cli
