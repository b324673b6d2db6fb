// SGD with optional (Nesterov) momentum over the flat parameter arena.
#include "sgd.hpp"

#include "../backend/ops.hpp"
#include "mlp/core/error.hpp"

namespace mlp {

SgdOptimizer::SgdOptimizer(const SGD& options) : options_(options) {
    if (!(options.lr >= 0)) throw ConfigError("SGD: lr must be >= 0, got " + std::to_string(options.lr));
    if (!(options.momentum >= 0 && options.momentum < 1))
        throw ConfigError("SGD: momentum must be in [0, 1), got " + std::to_string(options.momentum));
    if (options.nesterov && options.momentum == 0)
        throw ConfigError("SGD: nesterov needs a momentum > 0");
}

void SgdOptimizer::step(const TensorView& params, const TensorView& grads) {
    if (options_.momentum != 0 && velocity_.numel() != params.numel())
        velocity_ = Tensor(params.shape(), params.dtype());  // zeros: the first step makes v = g
    backend::sgd_step(params, grads, velocity_, options_.lr, options_.momentum, options_.nesterov);
    ++iterations_;
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
