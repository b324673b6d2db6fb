// `mlp predict MODEL --input FILE`: the model's outputs as CSV (or JSON). The
// file is read by the model's input spec: a CSV's columns by name in any
// order, the label and other columns ignored (and said so), categories
// encoded as at training. Classifiers give the predicted class by name, then
// each class's probability under its name.
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "device_option.hpp"
#include "inputs.hpp"
#include "inspect.hpp"
#include "mlp/mlp.hpp"
#include "run_dir.hpp"

namespace mlp::cli {

namespace {

struct PredictArgs {
    std::string model;
    std::string input;
    std::string output;
    std::vector<std::string> keep;
    ReadFlags read;
    cli::DeviceFlags device;
    bool json = false;
    bool quiet = false;
};

/// Whether the model's outputs are class probabilities, and how many classes.
std::int64_t classes_of(const Sequential& model) {
    if (!model.compiled() || !model.loss().is_crossentropy()) return 0;
    return model.outputs() == 1 ? 2 : model.outputs();
}

/// A CSV field, quoted when it holds the delimiter, a quote or a line break (RFC 4180).
std::string csv_field(const std::string& s) {
    if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
    std::string q = "\"";
    for (const char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
}

/// What each output column and each predicted class is called.
struct Names {
    std::vector<std::string> classes;  // class id -> name (ids when unnamed)
    std::vector<std::string> outputs;  // one per output column
};

Names names_of(const Sequential& model, std::int64_t classes) {
    const data::InputSpec spec = model.input_spec();
    Names n;
    for (std::int64_t c = 0; c < classes; ++c)
        n.classes.push_back(c < static_cast<std::int64_t>(spec.class_names.size())
                                ? spec.class_names[static_cast<std::size_t>(c)]
                                : std::to_string(c));
    const std::int64_t cols = model.outputs();
    for (std::int64_t j = 0; j < cols; ++j) {
        if (classes > 0 && !spec.class_names.empty())
            n.outputs.push_back(n.classes[static_cast<std::size_t>(cols == 1 ? 1 : j)]);  // sigmoid: P(class 1)
        else if (classes > 0)
            n.outputs.push_back(cols == 1 ? "p1" : "p" + std::to_string(j));
        else if (cols == 1 && !spec.label.empty())
            n.outputs.push_back(spec.label);
        else if (cols == static_cast<std::int64_t>(spec.targets.size()))
            n.outputs.push_back(spec.targets[static_cast<std::size_t>(j)]);
        else
            n.outputs.push_back("y" + std::to_string(j));
    }
    return n;
}

std::string to_csv(const Tensor& out, std::int64_t classes, const Names& names, const PredictArgs& a,
                   const data::LoadedLike& in) {
    std::ostringstream csv;
    csv.precision(9);
    const std::int64_t cols = out.cols();
    std::vector<std::string> header = a.keep;
    if (classes > 0) header.push_back("class");
    header.insert(header.end(), names.outputs.begin(), names.outputs.end());
    for (std::size_t j = 0; j < header.size(); ++j) csv << (j ? "," : "") << csv_field(header[j]);
    csv << "\n";
    for (std::int64_t r = 0; r < out.rows(); ++r) {
        for (const auto& column : in.kept) csv << csv_field(column[static_cast<std::size_t>(r)]) << ',';
        if (classes > 0)
            csv << csv_field(names.classes[static_cast<std::size_t>(predicted_class(out.view(), r))]) << ',';
        for (std::int64_t j = 0; j < cols; ++j) csv << out.item(r * cols + j) << (j + 1 < cols ? "," : "\n");
    }
    return csv.str();
}

std::string to_json(const Tensor& out, std::int64_t classes, const Names& names, const PredictArgs& a,
                    const data::LoadedLike& in) {
    nlohmann::ordered_json rows = nlohmann::ordered_json::array();
    for (std::int64_t r = 0; r < out.rows(); ++r) {
        nlohmann::ordered_json row;
        for (std::size_t k = 0; k < a.keep.size(); ++k) row[a.keep[k]] = in.kept[k][static_cast<std::size_t>(r)];
        if (classes > 0) row["class"] = names.classes[static_cast<std::size_t>(predicted_class(out.view(), r))];
        std::vector<double> values;
        for (std::int64_t j = 0; j < out.cols(); ++j) values.push_back(out.item(r * out.cols() + j));
        row[classes > 0 ? "probabilities" : "values"] = values;
        rows.push_back(row);
    }
    nlohmann::ordered_json doc{{"model", a.model}, {"input", a.input}, {"outputs", names.outputs}};
    doc["predictions"] = rows;
    return doc.dump() + "\n";
}

void predict(const PredictArgs& a) {
    const Device device = a.device.usable();
    Sequential model = Sequential::load(model_file(a.model));
    model.to(device);
    const data::LoadedLike in = load_for_model(model, a.input, "test", a.read, a.keep);
    if (!a.quiet) {
        std::vector<std::string> ignored = in.ignored;
        const std::string label = a.read.label.empty() ? model.input_spec().label : a.read.label;
        if (in.labeled) ignored.insert(ignored.begin(), (label.empty() ? "the label" : label + " (the label)"));
        if (!ignored.empty()) {
            std::string list;
            for (const auto& c : ignored) list += (list.empty() ? "" : ", ") + c;
            std::fprintf(stderr, "predict: %s: ignored %s not in the model: %s\n", a.input.c_str(),
                         ignored.size() == 1 ? "a column" : "columns", list.c_str());
        }
    }
    const Tensor out = model.predict(in.data.x);
    const std::int64_t classes = classes_of(model);
    const Names names = names_of(model, classes);
    const std::string text = a.json ? to_json(out, classes, names, a, in) : to_csv(out, classes, names, a, in);
    if (a.output.empty()) {
        std::fputs(text.c_str(), stdout);
        return;
    }
    write_file(a.output, text);
    if (!a.quiet) std::printf("%lld predictions written to %s\n", static_cast<long long>(out.rows()), a.output.c_str());
}

}  // namespace

void add_predict_command(CLI::App& app) {
    auto args = std::make_shared<PredictArgs>();
    auto* cmd = app.add_subcommand("predict", "Outputs of a saved model, as CSV: class and probabilities, or values");
    cmd->footer(
        "Example:\n  mlp predict runs/iris/model.safetensors --input new_flowers.csv --output predictions.csv\n"
        "  mlp predict model.safetensors --input rows.csv --keep id --json\n"
        "A CSV file gives the model's columns by name, in any order; other columns (the label among them)\n"
        "are ignored. A file without a header gives them in the training order.");
    cmd->add_option("model", args->model, "A model file (.safetensors), or a run directory")
        ->required()
        ->check(CLI::ExistingPath);
    cmd->add_option("--input", args->input,
                    "Features: a CSV, .npy or IDX file (told by content, raw or .gz), an IDX directory or a data set")
        ->required();
    args->device.add_to(*cmd, "Where to run the model");
    cmd->add_option("--keep", args->keep, "Copy this column of the input (an id, say) into the output; repeatable");
    args->read.add_to(*cmd);
    cmd->add_option("--output,-o", args->output, "Write the CSV (or JSON) here instead of stdout");
    cmd->add_flag("--json", args->json, "One JSON object with every prediction");
    cmd->add_flag("--quiet,-q", args->quiet, "No message about ignored columns or after writing --output");
    cmd->callback([args] { predict(*args); });
}

}  // namespace mlp::cli
