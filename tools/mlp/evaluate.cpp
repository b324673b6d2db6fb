// `mlp evaluate MODEL --data SPEC`: loss and metrics of a saved model.
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

#include "inputs.hpp"
#include "inspect.hpp"
#include "mlp/mlp.hpp"

namespace mlp::cli {

namespace {

struct EvaluateArgs {
    std::string model;
    std::string data;
    std::string label;
    std::int64_t batch_size = 1024;
    bool json = false;
    bool quiet = false;
};

void evaluate(const EvaluateArgs& a) {
    const Sequential model = Sequential::load(a.model);
    if (!model.compiled()) throw ConfigError("'" + a.model + "' holds no loss to evaluate with (saved uncompiled)");
    const data::Dataset d = load_input(a.data, "test", a.label, true);
    const Scores scores = model.evaluate(d.x, d.y, a.batch_size);
    if (!a.json) {
        if (!a.quiet)
            std::printf("%s on %lld samples of %s:\n", a.model.c_str(), static_cast<long long>(d.size()),
                        a.data.c_str());
        std::printf("%s\n", scores.str().c_str());
        return;
    }
    nlohmann::ordered_json out{{"model", a.model}, {"data", a.data}, {"samples", d.size()}};
    for (const auto& [name, value] : scores.items()) out[name] = value;
    std::printf("%s\n", out.dump().c_str());
}

}  // namespace

void add_evaluate_command(CLI::App& app) {
    auto args = std::make_shared<EvaluateArgs>();
    auto* cmd = app.add_subcommand("evaluate", "Loss and metrics of a saved model on a data set");
    cmd->footer("Example:\n  mlp evaluate runs/fashion/model.safetensors --data fashion-mnist:test");
    cmd->add_option("model", args->model, "A model file (.safetensors) written by mlp train or Sequential::save")
        ->required()
        ->check(CLI::ExistingFile);
    cmd->add_option("--data", args->data,
                    "A named data set (its test split unless NAME:SPLIT), IDX directory or CSV file")
        ->required();
    cmd->add_option("--label", args->label, "The label column of a CSV file (default: the last column)");
    cmd->add_option("--batch-size", args->batch_size, "Rows per batch")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    cmd->add_flag("--json", args->json, "Print the scores as one JSON object");
    cmd->add_flag("--quiet,-q", args->quiet, "Print only the scores");
    cmd->callback([args] { evaluate(*args); });
}

}  // namespace mlp::cli
