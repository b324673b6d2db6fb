// Adagrad over the flat parameter arena.
#include "../backend/ops.hpp"
#include "optimizers.hpp"
#include "state.hpp"

namespace mlp {

AdagradOptimizer::AdagradOptimizer(const Adagrad& options) : OptimizerWith(options) {
    require_option(options.lr >= 0, "Adagrad", "lr", ">= 0", options.lr);
    require_option(options.initial_accumulator_value >= 0, "Adagrad", "initial_accumulator_value", ">= 0",
                   options.initial_accumulator_value);
    require_option(options.epsilon > 0, "Adagrad", "epsilon", "> 0", options.epsilon);
}

void AdagradOptimizer::allocate_state(const TensorView& params) {
    if (sum_.numel() == params.numel() && sum_.dtype() == params.dtype() && sum_.device() == params.device()) return;
    ensure_arena(sum_, params);
    backend::fill(sum_, options_.initial_accumulator_value);
}

void AdagradOptimizer::update(const TensorView& params, const TensorView& grads) {
    backend::adagrad_step(params, grads, sum_, options_.lr, options_.epsilon);
}

std::vector<std::pair<std::string, TensorView>> AdagradOptimizer::state() const {
    if (sum_.empty()) return {};
    return {{"sum", sum_.view()}};
}

}  // namespace mlp
