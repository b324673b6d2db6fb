// IDX files, the format of MNIST and Fashion-MNIST, raw or gzip-compressed.
#pragma once

#include <string>

#include "mlp/data/dataset.hpp"

namespace mlp::data {

/// Images (N, rows·cols) scaled to [0, 1] and labels (N) as class ids.
/// Throws DataError naming the file on a bad magic number, size or count.
Dataset load_idx(const std::string& images_path, const std::string& labels_path);

}  // namespace mlp::data
