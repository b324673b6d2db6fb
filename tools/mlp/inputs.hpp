// What the subcommands read: data named the way users name it on the command line.
#pragma once

#include <string>
#include <utility>

#include "mlp/data/dataset.hpp"

namespace mlp::cli {

bool ends_with(const std::string& s, const std::string& suffix);

/// "NAME" or "NAME:SPLIT" (a named data set, `split` when none is given), a
/// directory of MNIST IDX files, a CSV file (label column `label`, the last
/// when empty; none when !labeled), or a .npy file of features (unlabeled).
data::Dataset load_input(const std::string& spec, const std::string& split, const std::string& label, bool labeled);

/// Training and test data: a named data set's own split, or a CSV file split
/// (stratified for classes) with `test_fraction` held out.
std::pair<data::Dataset, data::Dataset> load_train_test(const std::string& spec, const std::string& label,
                                                        double test_fraction, std::uint64_t seed);

}  // namespace mlp::cli
