// `mlp evaluate MODEL --data SPEC`: loss and metrics of a saved model, and for
// a classifier the confusion matrix with the classes' names. A file is read by
// the model's input spec, as `mlp predict` reads it, with the label present.
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

#include "device_option.hpp"
#include "inputs.hpp"
#include "inspect.hpp"
#include "mlp/mlp.hpp"
#include "validators.hpp"

namespace mlp::cli {

namespace {

struct EvaluateArgs {
    std::string model;
    std::string data;
    ReadFlags read;
    std::int64_t batch_size = 1024;
    cli::DeviceFlags device;
    bool json = false;
    bool quiet = false;
};

void evaluate(const EvaluateArgs& a) {
    const Device device = a.device.usable();
    Sequential model = Sequential::load(model_file(a.model));
    model.to(device);
    if (!model.compiled()) throw ConfigError("'" + a.model + "' holds no loss to evaluate with (saved uncompiled)");
    const data::LoadedLike in = load_for_model(model, a.data, "test", a.read);
    const data::Dataset& d = in.data;
    if (!in.labeled) {
        const std::string label = label_text(model.input_spec());
        throw DataError(a.data + ": no label column" + (label.empty() ? "" : " '" + label + "'") +
                        " to evaluate against" + (label.empty() ? " (a file without a header gives it last)" : ""));
    }
    const Scores scores = model.evaluate(d.x, d.y, a.batch_size);
    const bool classifier = model.loss().is_crossentropy();
    if (!a.json) {
        if (!a.quiet)
            std::printf("%s on %lld samples of %s:\n", a.model.c_str(), static_cast<long long>(d.size()),
                        a.data.c_str());
        std::printf("%s\n", scores.str().c_str());
        if (classifier && !a.quiet) {
            const ConfusionMatrix matrix = confusion_matrix(model.predict(d.x, a.batch_size), d.y);
            std::printf("\n%s", matrix.str(d.class_names).c_str());
        }
        return;
    }
    // Scores nest under one key, as `mlp train --json` nests its test scores.
    nlohmann::ordered_json out{{"model", a.model}, {"data", a.data}, {"samples", d.size()}};
    for (const auto& [name, value] : scores.items()) out["scores"][name] = value;
    if (classifier) {
        const ConfusionMatrix matrix = confusion_matrix(model.predict(d.x, a.batch_size), d.y);
        std::vector<std::vector<std::int64_t>> rows(static_cast<std::size_t>(matrix.classes()));
        for (std::int64_t t = 0; t < matrix.classes(); ++t)
            for (std::int64_t p = 0; p < matrix.classes(); ++p)
                rows[static_cast<std::size_t>(t)].push_back(matrix.count(t, p));
        out["confusion_matrix"] = rows;
        if (!d.class_names.empty()) out["class_names"] = d.class_names;
    }
    std::printf("%s\n", out.dump().c_str());
}

}  // namespace

void add_evaluate_command(CLI::App& app) {
    auto args = std::make_shared<EvaluateArgs>();
    auto* cmd = app.add_subcommand("evaluate", "Loss and metrics of a saved model on a data set");
    cmd->footer("Example:\n  mlp evaluate runs/fashion/model.safetensors --data fashion-mnist:test");
    cmd->add_option("model", args->model,
                    "A model file (.safetensors) written by mlp train or Sequential::save, or a run directory")
        ->required()
        ->check(CLI::ExistingPath);
    cmd->add_option("--data", args->data,
                    "A CSV file with the label column (read as predict reads it), a named data set (its test "
                    "split unless NAME:SPLIT) or an IDX directory")
        ->required();
    args->read.add_to(*cmd);
    cmd->add_option("--batch-size", args->batch_size, "Rows per batch")->capture_default_str()->check(positive());
    args->device.add_to(*cmd, "Where to run the model");
    cmd->add_flag("--json", args->json, "Print the scores as one JSON object");
    cmd->add_flag("--quiet,-q", args->quiet, "Print only the scores");
    cmd->callback([args] { evaluate(*args); });
}

}  // namespace mlp::cli
