// Dataset: features x (N, D) and targets y, with what is known of the classes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "mlp/core/tensor.hpp"

namespace mlp::data {

struct Dataset {
    Tensor x{};                                ///< (N, D) float32
    Tensor y{};                                ///< (N) class ids, or (N, T) targets
    std::int64_t classes = 0;                  ///< 0 for regression
    std::vector<std::string> class_names{};    ///< class id -> name; empty when unnamed
    std::vector<std::string> feature_names{};  ///< one per column of x; empty when unnamed
    std::vector<std::int64_t> image_shape{};   ///< (height, width) when each row of x is an image; else empty

    std::int64_t size() const { return x.rows(); }
    std::int64_t features() const { return x.cols(); }
};

}  // namespace mlp::data
