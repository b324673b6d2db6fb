// What the subcommands read: data named the way users name it on the command line.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "mlp/data/csv.hpp"
#include "mlp/data/dataset.hpp"
#include "mlp/data/load_like.hpp"
#include "mlp/model/sequential.hpp"

namespace CLI {
class App;
}  // namespace CLI

namespace mlp::cli {

bool ends_with(const std::string& s, const std::string& suffix);

/// "a,b,c" -> {a, b, c}, empty items left out: --metrics, and --label's
/// several label columns (a multi-output regression).
std::vector<std::string> split_list(const std::string& text, char separator = ',');
/// What a model's input spec calls its label: "y", or "y1,y2,y3" for several.
std::string label_text(const data::InputSpec& spec);

/// A model file, or a run directory's model.safetensors (`mlp evaluate runs/iris`).
std::string model_file(const std::string& path);

/// "NAME" or "NAME:SPLIT" (a named data set, `split` when none is given), a
/// directory of MNIST IDX files, a CSV file (label column `label`, the last
/// when empty; none when !labeled), or a .npy file of features (unlabeled).
data::Dataset load_input(const std::string& spec, const std::string& split, const std::string& label, bool labeled);

/// How predict and evaluate read a file for a model: --label (for a model
/// saved without its input spec), --unknown-categories and --delimiter.
struct ReadFlags {
    std::string label;
    std::string unknown_categories = "error";
    char delimiter = ',';
    void add_to(CLI::App& cmd);
};

/// Data for a trained model: a file (CSV, .npy or IDX, told by its content) read
/// by the model's input spec (its columns by name, categories and class names
/// as at training; by position for a model saved without one, the label then
/// flags.label or the last column), keeping the columns `keep`; else a named
/// data set or IDX directory as load_input reads them (`split` when none is given).
data::LoadedLike load_for_model(const Sequential& model, const std::string& spec, const std::string& split,
                                const ReadFlags& flags, const std::vector<std::string>& keep = {});

/// Training and test data: a named data set's own split, or a CSV file read
/// with `csv` and split (stratified for classes) with `test_fraction` held
/// out, or, given `test_file`, all of it for training and `test_file` (read by
/// the training data's columns, as predict reads files) for testing.
std::pair<data::Dataset, data::Dataset> load_train_test(const std::string& spec, const data::CsvOptions& csv,
                                                        double test_fraction, std::uint64_t seed,
                                                        const std::string& test_file = "");

}  // namespace mlp::cli
