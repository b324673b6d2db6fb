#include "inputs.hpp"

#include <sstream>

#include <CLI/CLI.hpp>

#include <filesystem>

#include "mlp/core/error.hpp"
#include "mlp/data/csv.hpp"
#include "mlp/data/idx.hpp"
#include "mlp/data/named.hpp"
#include "mlp/data/npy.hpp"
#include "mlp/data/preprocessing.hpp"

namespace mlp::cli {

bool ends_with(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string model_file(const std::string& path) {
    if (!std::filesystem::is_directory(path)) return path;
    const std::string inside = (std::filesystem::path(path) / "model.safetensors").string();
    if (!std::filesystem::exists(inside))
        throw IOError("'" + path + "' is a directory without a model.safetensors (is it a run directory?)");
    return inside;
}

std::vector<std::string> split_list(const std::string& text, char separator) {
    std::vector<std::string> out;
    std::stringstream in(text);
    for (std::string item; std::getline(in, item, separator);)
        if (!item.empty()) out.push_back(item);
    return out;
}

std::string label_text(const data::InputSpec& spec) {
    std::string text = spec.label;
    for (const auto& t : spec.targets) text += (text.empty() ? "" : ",") + t;
    return text;
}

namespace {
bool is_csv(const std::string& spec) { return ends_with(spec, ".csv") || ends_with(spec, ".csv.gz"); }
}  // namespace

data::Dataset load_input(const std::string& spec, const std::string& split, const std::string& label, bool labeled) {
    if (is_csv(spec)) return data::load_csv(spec, {.label = label, .labeled = labeled});
    if (!label.empty()) throw ConfigError("--label goes with a CSV file");
    if (ends_with(spec, ".npy") || ends_with(spec, ".npy.gz")) {
        if (labeled) throw ConfigError("'" + spec + "' holds features only; give a CSV file or a data set with labels");
        const Tensor x = data::load_npy(spec).to(DType::f32);
        const std::int64_t n = x.rows();
        data::Dataset d;
        d.x = Tensor::copy_of(x.view().reshaped(Shape{n, x.cols()}));  // (N, ...) as (N, D), also for N = 0
        return d;
    }
    if (std::filesystem::is_directory(spec)) return data::load_idx_dir(spec, split == "all" ? "test" : split);
    const auto colon = spec.rfind(':');
    if (colon != std::string::npos) return data::load_named(spec.substr(0, colon), spec.substr(colon + 1));
    return data::load_named(spec, split);
}

void ReadFlags::add_to(CLI::App& cmd) {
    cmd.add_option("--label", label,
                   "The label column, for a model saved without its input spec (newer models know theirs)");
    cmd.add_option("--unknown-categories", unknown_categories,
                   "A category not seen in training: error, or ignore (all zeros in its one-hot columns)")
        ->capture_default_str()
        ->check(CLI::IsMember({"error", "ignore"}));
    cmd.add_option("--delimiter", delimiter, "The CSV field separator")->capture_default_str();
}

data::LoadedLike load_for_model(const Sequential& model, const std::string& spec, const std::string& split,
                                const ReadFlags& flags, const std::vector<std::string>& keep) {
    const std::string& label = flags.label;
    const data::LoadLikeOptions options{.unknown_category = flags.unknown_categories == "ignore"
                                                                ? data::UnknownCategory::ignore
                                                                : data::UnknownCategory::error,
                                        .delimiter = flags.delimiter,
                                        .keep = keep};
    data::InputSpec input = model.input_spec();
    if (!label.empty() && !input.empty() && label != label_text(input))
        throw ConfigError("--label '" + label + "': the model was trained with the label '" + label_text(input) + "'");
    if (std::filesystem::is_regular_file(spec)) {
        if (input.empty()) {  // a model saved before models kept their input spec
            input = {.features = model.inputs(), .label = label, .label_position = model.inputs()};
            if (model.compiled() && model.loss().is_crossentropy()) input.task = "classification";
        }
        return data::load_like(spec, input, options);
    }
    if (!options.keep.empty()) throw ConfigError("--keep takes a column of a CSV file; '" + spec + "' is not a file");
    data::LoadedLike out{.data = load_input(spec, split, "", false)};
    out.labeled = !out.data.y.empty();
    return out;
}

std::pair<data::Dataset, data::Dataset> load_train_test(const std::string& spec, const data::CsvOptions& csv,
                                                        double test_fraction, std::uint64_t seed,
                                                        const std::string& test_file) {
    if (!test_file.empty()) {
        if (!is_csv(spec)) throw ConfigError("--test-data goes with a CSV file as --data");
        data::Dataset train = data::load_csv(spec, csv);
        data::LoadedLike test = data::load_like(test_file, train.input_spec(), {.delimiter = csv.delimiter});
        if (!test.labeled)
            throw DataError(
                test_file + ": no label column" +
                (label_text(train.input_spec()).empty() ? "" : " '" + label_text(train.input_spec()) + "'") +
                " to test against");
        return {std::move(train), std::move(test.data)};
    }
    if (test_fraction == 0) throw ConfigError("--test-split 0 leaves nothing to test on; give --test-data FILE");
    if (!is_csv(spec)) {
        if (!csv.label.empty() || !csv.labels.empty()) throw ConfigError("--label goes with a CSV file as --data");
        if (!csv.categorical.empty() || !csv.ignore.empty())
            throw ConfigError(std::string(csv.ignore.empty() ? "--categorical" : "--ignore") +
                              " goes with a CSV file as --data");
        return {load_input(spec, "train", "", true), load_input(spec, "test", "", true)};
    }
    const data::Dataset all = data::load_csv(spec, csv);
    return data::train_test_split(all, test_fraction, seed, {.stratify = all.classes > 0});
}

}  // namespace mlp::cli
