#include "layer_spec.hpp"

#include <charconv>
#include <sstream>

#include "mlp/core/error.hpp"
#include "mlp/nn/batch_normalization.hpp"
#include "mlp/nn/dense.hpp"
#include "mlp/nn/dropout.hpp"

namespace mlp::cli {

void add_layers(Sequential& model, const std::string& spec, const DenseOptions& dense) {
    std::stringstream items(spec);
    std::string item;
    int position = 0;
    while (std::getline(items, item, ',')) {
        ++position;
        const auto colon = item.find(':');
        const std::string head = item.substr(0, colon);
        if (head == "dropout") {
            double rate = -1;
            const std::string text = colon == std::string::npos ? "" : item.substr(colon + 1);
            const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), rate);
            if (ec != std::errc() || end != text.data() + text.size())
                throw ConfigError("--layers item " + std::to_string(position) + " '" + item +
                                  "': expected dropout:RATE, e.g. dropout:0.2");
            model.add(Dropout(rate));
            continue;
        }
        if (head == "batchnorm" || head == "bn") {  // batchnorm:sync: statistics over every process (mpirun)
            const std::string option = colon == std::string::npos ? "" : item.substr(colon + 1);
            if (!option.empty() && option != "sync")
                throw ConfigError("--layers item " + std::to_string(position) + " '" + item +
                                  "': expected batchnorm or batchnorm:sync");
            model.add(BatchNormalization({.synchronized = !option.empty()}));
            continue;
        }
        const std::string units_text = item.substr(0, colon);
        std::int64_t units = 0;
        const auto [end, ec] = std::from_chars(units_text.data(), units_text.data() + units_text.size(), units);
        if (ec != std::errc() || end != units_text.data() + units_text.size() || units <= 0)
            throw ConfigError("--layers item " + std::to_string(position) + " '" + item +
                              "': expected UNITS[:ACTIVATION] (e.g. 256:relu), dropout:RATE or batchnorm");
        const std::string activation = colon == std::string::npos ? "linear" : item.substr(colon + 1);
        model.add(Dense(units, activation, dense));
    }
    if (position == 0) throw ConfigError("--layers is empty; e.g. --layers 256:relu,10:softmax");
}

}  // namespace mlp::cli
