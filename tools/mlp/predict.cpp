// `mlp predict MODEL --input SPEC`: the model's outputs as CSV (or JSON): for
// classifiers the predicted class, then each class's probability.
#include <cstdio>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "inputs.hpp"
#include "inspect.hpp"
#include "mlp/mlp.hpp"

namespace mlp::cli {

namespace {

struct PredictArgs {
    std::string model;
    std::string input;
    std::string label;
    std::string output;
    bool labeled = false;
    bool json = false;
    bool quiet = false;
};

/// Whether the model's outputs are class probabilities, and how many classes.
std::int64_t classes_of(const Sequential& model) {
    if (!model.compiled() || !model.loss().is_crossentropy()) return 0;
    return model.outputs() == 1 ? 2 : model.outputs();
}

std::string to_csv(const Tensor& out, std::int64_t classes) {
    std::ostringstream csv;
    csv.precision(9);
    const std::int64_t cols = out.cols();
    if (classes > 0) csv << "class,";
    for (std::int64_t j = 0; j < cols; ++j)
        csv << (classes > 0 ? (cols == 1 ? "p1" : "p" + std::to_string(j)) : "y" + std::to_string(j))
            << (j + 1 < cols ? "," : "\n");
    for (std::int64_t r = 0; r < out.rows(); ++r) {
        if (classes > 0) csv << predicted_class(out.view(), r) << ',';
        for (std::int64_t j = 0; j < cols; ++j) csv << out.item(r * cols + j) << (j + 1 < cols ? "," : "\n");
    }
    return csv.str();
}

void predict(const PredictArgs& a) {
    const Sequential model = Sequential::load(a.model);
    const data::Dataset d = load_input(a.input, "test", a.label, a.labeled || !a.label.empty());
    const Tensor out = model.predict(d.x);
    const std::int64_t classes = classes_of(model);
    std::string text;
    if (a.json) {
        nlohmann::ordered_json rows = nlohmann::ordered_json::array();
        for (std::int64_t r = 0; r < out.rows(); ++r) {
            nlohmann::ordered_json row;
            if (classes > 0) row["class"] = predicted_class(out.view(), r);
            std::vector<double> values;
            for (std::int64_t j = 0; j < out.cols(); ++j) values.push_back(out.item(r * out.cols() + j));
            row[classes > 0 ? "probabilities" : "values"] = values;
            rows.push_back(row);
        }
        text = nlohmann::ordered_json{{"model", a.model}, {"input", a.input}, {"predictions", rows}}.dump() + "\n";
    } else {
        text = to_csv(out, classes);
    }
    if (a.output.empty()) {
        std::fputs(text.c_str(), stdout);
    } else {
        std::ofstream(a.output) << text;
        if (!a.quiet)
            std::printf("%lld predictions written to %s\n", static_cast<long long>(out.rows()), a.output.c_str());
    }
}

}  // namespace

void add_predict_command(CLI::App& app) {
    auto args = std::make_shared<PredictArgs>();
    auto* cmd = app.add_subcommand("predict", "Outputs of a saved model, as CSV: class and probabilities, or values");
    cmd->footer(
        "Example:\n  mlp predict runs/iris/model.safetensors --input new_flowers.csv --output predictions.csv\n"
        "  mlp predict model.safetensors --input x.npy --json");
    cmd->add_option("model", args->model, "A model file (.safetensors)")->required()->check(CLI::ExistingFile);
    cmd->add_option(
           "--input", args->input,
           "Features: a CSV file (no label column unless --label), a .npy file, an IDX directory or a data set")
        ->required();
    cmd->add_option("--label", args->label, "A label column to leave out of a CSV file's features");
    cmd->add_option("--output,-o", args->output, "Write the CSV (or JSON) here instead of stdout");
    cmd->add_flag("--json", args->json, "One JSON object with every prediction");
    cmd->add_flag("--quiet,-q", args->quiet, "No message after writing --output");
    cmd->callback([args] { predict(*args); });
}

}  // namespace mlp::cli
