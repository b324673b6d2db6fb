// RMSprop (plain, centered, with momentum) over the flat parameter arena.
#include "../backend/ops.hpp"
#include "optimizers.hpp"
#include "state.hpp"

namespace mlp {

RmspropOptimizer::RmspropOptimizer(const RMSprop& options) : OptimizerWith(options) {
    require_option(options.lr >= 0, "RMSprop", "lr", ">= 0", options.lr);
    require_option(options.rho >= 0 && options.rho < 1, "RMSprop", "rho", "in [0, 1)", options.rho);
    require_option(options.momentum >= 0 && options.momentum < 1, "RMSprop", "momentum", "in [0, 1)", options.momentum);
    require_option(options.epsilon > 0, "RMSprop", "epsilon", "> 0", options.epsilon);
}

std::string RmspropOptimizer::name() const { return options_.centered ? "RMSprop (centered)" : "RMSprop"; }

void RmspropOptimizer::allocate_state(const TensorView& params) {
    ensure_arena(square_avg_, params);
    if (options_.centered) ensure_arena(grad_avg_, params);
    if (options_.momentum > 0) ensure_arena(momentum_, params);
}

void RmspropOptimizer::update(const TensorView& params, const TensorView& grads) {
    backend::rmsprop_step(params, grads, square_avg_, grad_avg_, momentum_, options_.lr, options_.rho, options_.epsilon,
                          options_.momentum);
}

std::vector<std::pair<std::string, TensorView>> RmspropOptimizer::state() const {
    if (square_avg_.empty()) return {};
    std::vector<std::pair<std::string, TensorView>> s{{"square_avg", square_avg_.view()}};
    if (options_.centered) s.emplace_back("grad_avg", grad_avg_.view());
    if (options_.momentum > 0) s.emplace_back("momentum", momentum_.view());
    return s;
}

}  // namespace mlp
