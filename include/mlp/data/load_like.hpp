// Reading new data the way a model was trained, by its InputSpec.
//
//   auto rows = mlp::data::load_like("more_flowers.csv", model.input_spec());  // any column order
//   Tensor p = model.predict(rows.data.x);
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mlp/data/dataset.hpp"
#include "mlp/data/input_spec.hpp"

namespace mlp::data {

/// What to do with a category not seen in training.
enum class UnknownCategory {
    error,   ///< a DataError naming the file, line, column and value
    ignore,  ///< all zeros in that column's one-hot block (scikit-learn's handle_unknown="ignore")
};

struct LoadLikeOptions {
    UnknownCategory unknown_category = UnknownCategory::error;
    char delimiter = ',';
    /// Whether a CSV file's first row names its columns. Unset: it does when
    /// any of its fields is not a number.
    std::optional<bool> header = std::nullopt;
    /// Columns copied as text into LoadedLike::kept (an id column, say).
    std::vector<std::string> keep = {};
};

/// Data read by load_like: x in the model's feature order, y when the label
/// column was there (class ids from the training class names, or targets).
struct LoadedLike {
    Dataset data;
    bool labeled = false;
    std::vector<std::string> ignored{};            // columns of the file the model does not use
    std::vector<std::vector<std::string>> kept{};  // per LoadLikeOptions::keep, one value per row
};

/// Reads new data the way the model was trained. The format is told by the
/// content, not the name: NumPy .npy, IDX (MNIST), else CSV (each raw or
/// gzip-compressed). A CSV with a header gives the model's columns by name in
/// any order, the label and other columns optional; one without a header
/// gives them by position (the label, if there, at its training place).
/// Errors name the file, the 1-based line and the column: a missing column,
/// a value that is not a number or not finite, an unknown category or class.
LoadedLike load_like(const std::string& path, const InputSpec& spec, const LoadLikeOptions& options = {});
/// The same from a file's bytes in memory (decompressed); `name` is what messages call it.
LoadedLike parse_like(std::string_view bytes, const InputSpec& spec, const LoadLikeOptions& options = {},
                      const std::string& name = "<data>");

}  // namespace mlp::data
