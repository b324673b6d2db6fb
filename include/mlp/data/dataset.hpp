// Dataset: features x (N, D) and targets y, with what is known of the classes.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "mlp/core/tensor.hpp"

namespace mlp::data {

struct Dataset {
    Tensor x;                              ///< (N, D) float32
    Tensor y;                              ///< (N) class ids, or (N, T) targets
    std::int64_t classes = 0;              ///< 0 for regression
    std::vector<std::string> class_names;  ///< empty when unnamed

    std::int64_t size() const { return x.rows(); }
    std::int64_t features() const { return x.cols(); }
};

/// Splits off the last `test_fraction` of a copy shuffled with `seed`
/// (unshuffled when shuffle is false): {train, test}.
std::pair<Dataset, Dataset> train_test_split(const Dataset& data, double test_fraction, std::uint64_t seed,
                                             bool shuffle = true);

}  // namespace mlp::data
