// Optimizer construction from options or a name.
#include "mlp/optim/optimizer.hpp"

#include "adam.hpp"
#include "mlp/core/error.hpp"
#include "sgd.hpp"

namespace mlp {

std::unique_ptr<Optimizer> Optimizer::make(const OptimizerOptions& options) {
    if (const auto* sgd = std::get_if<SGD>(&options)) return std::make_unique<SgdOptimizer>(*sgd);
    return std::make_unique<AdamOptimizer>(std::get<Adam>(options));
}

OptimizerOptions optimizer_from_name(const std::string& name) {
    if (name == "sgd") return SGD{};
    if (name == "momentum") return SGD{.momentum = 0.9};
    if (name == "nesterov") return SGD{.momentum = 0.9, .nesterov = true};
    if (name == "adam") return Adam{};
    throw ConfigError("unknown optimizer '" + name + "'; known: sgd, momentum, nesterov, adam");
}

}  // namespace mlp
