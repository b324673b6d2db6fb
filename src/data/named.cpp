// Finding named data sets on disk.
#include "mlp/data/named.hpp"

#include <cstdlib>
#include <filesystem>

#include "mlp/core/error.hpp"
#include "mlp/data/idx.hpp"
#include "mlp/data/synthetic.hpp"

namespace mlp::data {

namespace {
std::string find_dir(const std::string& name) {
    std::vector<std::string> candidates;
    if (const char* dir = std::getenv("MLP_DATA_DIR")) candidates.push_back(std::string(dir) + "/" + name);
    candidates.push_back("/usr/share/datasets/" + name);
    for (const auto& c : candidates)
        if (std::filesystem::exists(c + "/train-images-idx3-ubyte.gz")) return c;
    std::string looked;
    for (const auto& c : candidates) looked += (looked.empty() ? "" : ", ") + c;
    throw DataError("data set '" + name + "' not found (looked in " + looked +
                    "); install it with: apt-get install dataset-" + name + ", or set MLP_DATA_DIR");
}
}  // namespace

Dataset load_named(const std::string& name, const std::string& split) {
    if (split != "train" && split != "test")
        throw ConfigError("data set split must be 'train' or 'test', got '" + split + "'");
    if (name == "fashion-mnist") {
        const std::string dir = find_dir(name);
        const std::string prefix = dir + "/" + (split == "train" ? "train" : "t10k");
        Dataset d = load_idx(prefix + "-images-idx3-ubyte.gz", prefix + "-labels-idx1-ubyte.gz");
        d.classes = 10;
        d.class_names = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                         "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
        return d;
    }
    if (name == "xor") return xor_gate();
    if (name == "moons") {
        // 2,000 points, noise 0.2, a fixed 80/20 split.
        auto [train, test] = train_test_split(moons(2000, 0.2, 0), 0.2, 0);
        return split == "train" ? std::move(train) : std::move(test);
    }
    throw ConfigError("unknown data set '" + name + "'; known: fashion-mnist, moons, xor");
}

}  // namespace mlp::data
