#include "layer_spec.hpp"

#include <charconv>
#include <sstream>

#include "mlp/core/error.hpp"
#include "mlp/nn/dense.hpp"

namespace mlp::cli {

void add_layers(Sequential& model, const std::string& spec) {
    std::stringstream items(spec);
    std::string item;
    int position = 0;
    while (std::getline(items, item, ',')) {
        ++position;
        const auto colon = item.find(':');
        const std::string units_text = item.substr(0, colon);
        std::int64_t units = 0;
        const auto [end, ec] = std::from_chars(units_text.data(), units_text.data() + units_text.size(), units);
        if (ec != std::errc() || end != units_text.data() + units_text.size() || units <= 0)
            throw ConfigError("--layers item " + std::to_string(position) + " '" + item +
                              "': expected UNITS[:ACTIVATION], e.g. 256:relu");
        const std::string activation = colon == std::string::npos ? "linear" : item.substr(colon + 1);
        model.add(Dense(units, activation));
    }
    if (position == 0) throw ConfigError("--layers is empty; e.g. --layers 256:relu,10:softmax");
}

}  // namespace mlp::cli
