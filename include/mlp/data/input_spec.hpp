// What a model was trained on: the source columns behind each feature (with the
// categories of a one-hot column), the label and its class names. A model
// keeps it (Sequential::input_spec(), saved in its file) so that new data is
// read the same way: columns chosen by name, categories encoded as at
// training, predictions named by class.
// (mlp/data/load_like.hpp reads new data by it.)
//
//   auto train = mlp::data::load_csv("flowers.csv", {.label = "species", .categorical = {"color"}});
//   model.set_input_spec(train.input_spec());
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace mlp::data {

/// One column of the source data behind x: numeric (one feature) or
/// categorical (one 0/1 feature per category, in this order: "color=red").
struct ColumnSpec {
    std::string name;
    std::vector<std::string> categories{};  ///< empty: numeric

    bool categorical() const { return !categories.empty(); }
    std::int64_t width() const { return categorical() ? static_cast<std::int64_t>(categories.size()) : 1; }
    bool operator==(const ColumnSpec&) const = default;
};

struct InputSpec {
    std::int64_t features = 0;                ///< columns of x; 0 when nothing is known
    std::vector<ColumnSpec> columns{};        ///< the source columns behind x, in x's order; empty: unnamed
    std::string label{};                      ///< the label column's name; empty when unnamed
    std::int64_t label_position = -1;         ///< the label's place among `columns` and it (files without a header)
    std::vector<std::string> targets{};       ///< the label columns of a multi-output regression, in y's order
    std::string task{};                       ///< "classification", "regression", or empty when unknown
    std::vector<std::string> class_names{};   ///< class id -> name; empty when unnamed
    std::vector<std::int64_t> image_shape{};  ///< (height, width) when each row is an image
    /// The model's input scaling ("standardize", "minmax"), read from its first
    /// layer when it is a Normalization; its statistics are that layer's weights.
    std::string scaling{};
    /// Where the training data came from, as the trainer recorded it (mlp
    /// train writes its data options as JSON: the file's absolute path, label,
    /// split and seed), so that training resumes on the same data unasked.
    std::string source{};

    bool empty() const { return features == 0; }
    /// One name per column of x ("petal length", "color=red"); empty when unnamed.
    std::vector<std::string> feature_names() const;
    /// Several lines for a summary: features, one-hot layout, label, classes, scaling.
    std::string str() const;
    bool operator==(const InputSpec&) const = default;
};

}  // namespace mlp::data
