// NumPy .npy files (format versions 1-3): little-endian float32, float64,
// signed and unsigned integers and bool, in C order.
//
//   mlp::Tensor x = mlp::data::load_npy("x.npy");   // float32 (N, ...), or float64 as stored
//   mlp::data::save_npy("predictions.npy", model.predict(x));
#pragma once

#include <string>
#include <string_view>

#include "mlp/core/tensor.hpp"
#include "mlp/data/dataset.hpp"

namespace mlp::data {

/// float64 arrays load as float64, every other dtype as float32. Rank 0 to 4
/// (a scalar loads as shape (1)). Throws DataError naming the file for a
/// Fortran-order array, an unsupported dtype, a bad header or missing data.
Tensor load_npy(const std::string& path);
/// The same from the file's bytes; `name` is what messages call it.
Tensor parse_npy(std::string_view bytes, const std::string& name = "<npy>");
/// Writes a float32 or float64 tensor as a version 1.0 .npy file, atomically.
void save_npy(const std::string& path, const TensorView& t);

/// Features from one file (N, ...) flattened to (N, D) float32, targets from
/// another: integer labels (N) become class ids, anything else regression targets.
Dataset load_npy_dataset(const std::string& x_path, const std::string& y_path);

}  // namespace mlp::data
