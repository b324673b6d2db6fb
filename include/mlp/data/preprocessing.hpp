// Preprocessing that rearranges or re-encodes a data set: one-hot targets,
// shuffling and seeded train / validation / test splits, stratified by class
// when asked (scikit-learn's train_test_split(..., stratify=y)). Feature
// scaling is in scaler.hpp and, kept inside a model, in the Normalization layer.
#pragma once

#include <cstdint>
#include <utility>

#include "mlp/data/dataset.hpp"

namespace mlp::data {

/// Class ids (N) to (N, classes) rows of 0 and 1, float32. Throws DataError
/// naming the row of an id that is not an integer in [0, classes).
Tensor one_hot(const TensorView& ids, std::int64_t classes);

/// A copy with the rows in a seeded random order.
Dataset shuffled(const Dataset& data, std::uint64_t seed);

struct SplitOptions {
    bool shuffle = true;    ///< false: the test part is the last rows, in order
    bool stratify = false;  ///< keep each class's share in both parts (needs class ids in y)
};

/// {train, test}: `test_fraction` of the rows (rounded) go to test.
std::pair<Dataset, Dataset> train_test_split(const Dataset& data, double test_fraction, std::uint64_t seed,
                                             SplitOptions options = {});

struct ThreeWaySplit {
    Dataset train, validation, test;
};
/// Test first, then validation from what is left, each a fraction of the whole.
ThreeWaySplit train_validation_test_split(const Dataset& data, double validation_fraction, double test_fraction,
                                          std::uint64_t seed, SplitOptions options = {});

}  // namespace mlp::data
