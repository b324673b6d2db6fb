// Adam over the flat parameter arena.
#include "adam.hpp"

#include "../backend/ops.hpp"
#include "mlp/core/error.hpp"

namespace mlp {

AdamOptimizer::AdamOptimizer(const Adam& options) : options_(options) {
    if (!(options.lr >= 0)) throw ConfigError("Adam: lr must be >= 0, got " + std::to_string(options.lr));
    if (!(options.beta1 >= 0 && options.beta1 < 1))
        throw ConfigError("Adam: beta1 must be in [0, 1), got " + std::to_string(options.beta1));
    if (!(options.beta2 >= 0 && options.beta2 < 1))
        throw ConfigError("Adam: beta2 must be in [0, 1), got " + std::to_string(options.beta2));
    if (!(options.epsilon > 0)) throw ConfigError("Adam: epsilon must be > 0, got " + std::to_string(options.epsilon));
}

void AdamOptimizer::step(const TensorView& params, const TensorView& grads) {
    if (m_.numel() != params.numel()) {
        m_ = Tensor(params.shape(), params.dtype());
        v_ = Tensor(params.shape(), params.dtype());
    }
    ++iterations_;
    backend::adam_step(params, grads, m_, v_, options_.lr, options_.beta1, options_.beta2, options_.epsilon,
                       iterations_);
}

std::vector<std::pair<std::string, TensorView>> AdamOptimizer::state() const {
    if (m_.empty()) return {};
    return {{"m", m_.view()}, {"v", v_.view()}};
}

}  // namespace mlp
