#include "layer_spec.hpp"

#include <charconv>
#include <sstream>

#include "mlp/core/error.hpp"
#include "mlp/nn/batch_normalization.hpp"
#include "mlp/nn/dense.hpp"
#include "mlp/nn/dense_stack.hpp"
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
        // UNITS, or UNITSxDEPTH for a DenseStack of DEPTH layers of UNITS
        const std::string units_text = item.substr(0, colon);
        const auto times = units_text.find('x');
        const std::string width_text = units_text.substr(0, times);
        const std::string depth_text = times == std::string::npos ? "1" : units_text.substr(times + 1);
        std::int64_t units = 0;
        int depth = 0;
        const auto [end, ec] = std::from_chars(width_text.data(), width_text.data() + width_text.size(), units);
        const auto [depth_end, depth_ec] =
            std::from_chars(depth_text.data(), depth_text.data() + depth_text.size(), depth);
        if (ec != std::errc() || end != width_text.data() + width_text.size() || units <= 0 ||
            depth_ec != std::errc() || depth_end != depth_text.data() + depth_text.size() || depth <= 0)
            throw ConfigError("--layers item " + std::to_string(position) + " '" + item +
                              "': expected UNITS[:ACTIVATION] (e.g. 256:relu), UNITSxDEPTH[:ACTIVATION] (e.g. "
                              "64x8:relu, a DenseStack), dropout:RATE or batchnorm");
        if (times == std::string::npos) {
            model.add(Dense(units, colon == std::string::npos ? "linear" : item.substr(colon + 1), dense));
            continue;
        }
        if (dense.kernel_regularizer.any() || dense.kernel_constraint)
            throw ConfigError(
                "--layers item " + std::to_string(position) + " '" + item +
                "': a DenseStack takes no regularizer or max-norm; spell its layers out as UNITS:ACTIVATION");
        model.add(DenseStack(units, depth, colon == std::string::npos ? "relu" : item.substr(colon + 1),
                             {.init = dense.init, .bias_init = dense.bias_init, .use_bias = dense.use_bias}));
    }
    if (position == 0) throw ConfigError("--layers is empty; e.g. --layers 256:relu,10:softmax");
}

}  // namespace mlp::cli
