// Named data sets: "fashion-mnist" (Debian package dataset-fashion-mnist) and
// the synthetic "xor" and "moons". Files are looked for under $MLP_DATA_DIR/<name>
// first, then where the package puts them (/usr/share/datasets/<name>).
#pragma once

#include <string>

#include "mlp/data/dataset.hpp"

namespace mlp::data {

/// split: "train" or "test". Throws DataError saying how to install what is missing.
Dataset load_named(const std::string& name, const std::string& split);

}  // namespace mlp::data
