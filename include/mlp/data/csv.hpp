// CSV files (RFC 4180: quoted fields, "" inside quotes, CRLF or LF), raw or
// gzip-compressed, into a Dataset.
//
//   auto iris = mlp::data::load_csv("iris.csv", {.label = "species"});
//   // iris.class_names == {"setosa", "versicolor", "virginica"}: the ids' names
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mlp/data/dataset.hpp"

namespace mlp::data {

struct CsvOptions {
    char delimiter = ',';
    /// Whether the first row names the columns. Unset: it does when any of its
    /// fields is not a number.
    std::optional<bool> header = std::nullopt;
    std::int64_t skip_rows = 0;  ///< lines skipped before the header or the data
    /// The label column by name (needs a header); empty: by label_index.
    std::string label = "";
    std::int64_t label_index = -1;  ///< negative counts from the end: -1 is the last column
    /// Several label columns, by name (or index when there is no header): a
    /// multi-output regression, y (N, labels.size()) in this order. Takes the
    /// place of label and label_index.
    std::vector<std::string> labels = {};
    bool labeled = true;            ///< false: every column is a feature and y is empty
    /// "classification": labels are class ids (numbers >= 0 used as they are,
    /// other strings mapped to ids in sorted order, the names kept);
    /// "regression": numeric targets (N, 1); "auto": classification unless a
    /// label is a number with a fraction.
    std::string task = "auto";
    /// Feature columns, by name (or index when there is no header), that hold
    /// categories: each becomes one 0/1 column per category ("color=red"), in sorted order.
    std::vector<std::string> categorical = {};
    /// Columns left out, by name (or index when there is no header): ids, free text.
    std::vector<std::string> ignore = {};
};

/// Throws DataError naming the file, line and column of what is wrong: a row
/// with the wrong number of fields, a non-numeric value, an unknown label column.
Dataset load_csv(const std::string& path, const CsvOptions& options = {});
/// The same from text in memory; `name` is what messages call it.
Dataset parse_csv(std::string_view text, const CsvOptions& options = {}, const std::string& name = "<csv>");

}  // namespace mlp::data
