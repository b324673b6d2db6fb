// Dataset: features x (N, D) and targets y, with what is known of the classes
// and of the columns the features came from.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "mlp/core/tensor.hpp"
#include "mlp/data/input_spec.hpp"

namespace mlp::data {

struct Dataset {
    Tensor x{};                                ///< (N, D) float32
    Tensor y{};                                ///< (N) class ids, or (N, T) targets
    std::int64_t classes = 0;                  ///< 0 for regression
    std::vector<std::string> class_names{};    ///< class id -> name; empty when unnamed
    std::vector<std::string> feature_names{};  ///< one per column of x; empty when unnamed
    std::vector<std::int64_t> image_shape{};   ///< (height, width) when each row of x is an image; else empty
    std::vector<ColumnSpec> columns{};         ///< the source columns behind x (a CSV's); empty: one per feature
    std::string label{};                       ///< the label column's name; empty when unnamed
    std::int64_t label_position = -1;          ///< its place among the used columns and it; -1 when unknown
    std::vector<std::string> targets{};        ///< the label columns of a multi-output regression, in y's order

    std::int64_t size() const { return x.rows(); }
    std::int64_t features() const { return x.cols(); }
    /// What a model trained on this data should remember of it (see input_spec.hpp).
    InputSpec input_spec() const;
    /// Everything but x and y: to build a part of this data set.
    Dataset description() const;
};

}  // namespace mlp::data
