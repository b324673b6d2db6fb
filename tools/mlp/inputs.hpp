// What the subcommands read: data named the way users name it on the command line.
#pragma once

#include <string>
#include <utility>

#include "mlp/data/csv.hpp"
#include "mlp/data/dataset.hpp"
#include "mlp/data/load_like.hpp"
#include "mlp/model/sequential.hpp"

namespace mlp::cli {

bool ends_with(const std::string& s, const std::string& suffix);

/// A model file, or a run directory's model.safetensors (`mlp evaluate runs/iris`).
std::string model_file(const std::string& path);

/// "NAME" or "NAME:SPLIT" (a named data set, `split` when none is given), a
/// directory of MNIST IDX files, a CSV file (label column `label`, the last
/// when empty; none when !labeled), or a .npy file of features (unlabeled).
data::Dataset load_input(const std::string& spec, const std::string& split, const std::string& label, bool labeled);

/// Data for a trained model: a file (CSV, .npy or IDX, told by its content) read
/// by the model's input spec (its columns by name, categories and class names
/// as at training; by position for a model saved without one, the label then
/// `label` or the last column); else a named data set or IDX directory as
/// load_input reads them (`split` when none is given).
data::LoadedLike load_for_model(const Sequential& model, const std::string& spec, const std::string& split,
                                const data::LoadLikeOptions& options, const std::string& label = "");

/// "error" or "ignore", as --unknown-categories takes them.
data::UnknownCategory unknown_category(const std::string& name);

/// Training and test data: a named data set's own split, or a CSV file read
/// with `csv` and split (stratified for classes) with `test_fraction` held
/// out, or, given `test_file`, all of it for training and `test_file` (read by
/// the training data's columns, as predict reads files) for testing.
std::pair<data::Dataset, data::Dataset> load_train_test(const std::string& spec, const data::CsvOptions& csv,
                                                        double test_fraction, std::uint64_t seed,
                                                        const std::string& test_file = "");

}  // namespace mlp::cli
