// SGD with optional (Nesterov) momentum over the flat parameter arena.
#include "../backend/ops.hpp"
#include "mlp/core/error.hpp"
#include "optimizers.hpp"
#include "state.hpp"

namespace mlp {

SgdOptimizer::SgdOptimizer(const SGD& options) : OptimizerWith(options) {
    require_option(options.lr >= 0, "SGD", "lr", ">= 0", options.lr);
    require_option(options.momentum >= 0 && options.momentum < 1, "SGD", "momentum", "in [0, 1)", options.momentum);
    if (options.nesterov && options.momentum == 0) throw ConfigError("SGD: nesterov needs a momentum > 0");
}

void SgdOptimizer::allocate_state(const TensorView& params) {
    if (options_.momentum != 0) ensure_arena(velocity_, params);  // zeros: the first step makes v = g
}

void SgdOptimizer::update(const TensorView& params, const TensorView& grads) {
    backend::sgd_step(params, grads, velocity_, options_.lr, options_.momentum, options_.nesterov);
}

std::string SgdOptimizer::name() const {
    if (options_.momentum == 0) return "SGD";
    return options_.nesterov ? "SGD (Nesterov momentum)" : "SGD (momentum)";
}

std::vector<std::pair<std::string, TensorView>> SgdOptimizer::state() const {
    if (velocity_.empty()) return {};
    return {{"velocity", velocity_.view()}};
}

}  // namespace mlp
