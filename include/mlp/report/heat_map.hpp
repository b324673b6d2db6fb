// Heat maps as SVG: a matrix of cells shaded by value, labelled by row and
// column; the confusion matrix drawn this way, rows = true class.
#pragma once

#include <string>
#include <vector>

#include "mlp/metrics/classification.hpp"

namespace mlp::report {

struct HeatMapOptions {
    std::string id = "";
    std::string title = "";
    std::string row_label = "";
    std::string column_label = "";
};

/// Cells shaded by `shade` (0 white .. 1 darkest, clamped) and labelled with
/// `text` (same shape as `shade`; empty: no labels). Throws ShapeError when the
/// names or text do not match the matrix.
std::string heat_map(const std::vector<std::vector<double>>& shade, const std::vector<std::vector<std::string>>& text,
                     const std::vector<std::string>& row_names, const std::vector<std::string>& column_names,
                     const HeatMapOptions& options = {});

/// The confusion matrix with counts in the cells, shaded by the fraction of
/// each true class (its row); `class_names` empty: class ids.
std::string confusion_heat_map(const ConfusionMatrix& matrix, const std::vector<std::string>& class_names = {},
                               const std::string& id = "confusion-matrix");

}  // namespace mlp::report
