// IDX files, the format of MNIST and Fashion-MNIST, raw or gzip-compressed:
// a big-endian magic number (0x00 0x00, element type, rank), the dimensions,
// then the elements.
#pragma once

#include <string>
#include <string_view>

#include "mlp/data/dataset.hpp"

namespace mlp::data {

/// Images (N, rows·cols) scaled to [0, 1] and labels (N) as class ids.
/// Throws DataError naming the file on a bad magic number, size or count.
Dataset load_idx(const std::string& images_path, const std::string& labels_path);

/// The standard file names in `dir` (train-images-idx3-ubyte[.gz], …, t10k-…):
/// split "train" or "test".
Dataset load_idx_dir(const std::string& dir, const std::string& split);

/// Any IDX file as a float32 tensor of its shape (rank 1 to 4), values as stored.
Tensor load_idx_tensor(const std::string& path);
/// The same from the file's bytes (uncompressed); `name` is used in messages.
Tensor parse_idx(std::string_view bytes, const std::string& name);

}  // namespace mlp::data
