// Adam, Adam-amsgrad and AdamW over the flat parameter arena.
#include "../backend/ops.hpp"
#include "optimizers.hpp"
#include "state.hpp"

namespace mlp {

namespace {
AdamW as_adamw(const Adam& o) {
    return {.lr = o.lr,
            .weight_decay = 0,
            .beta1 = o.beta1,
            .beta2 = o.beta2,
            .epsilon = o.epsilon,
            .amsgrad = o.amsgrad,
            .clipnorm = o.clipnorm,
            .clipvalue = o.clipvalue,
            .global_clipnorm = o.global_clipnorm};
}
}  // namespace

AdamOptimizer::AdamOptimizer(const Adam& options) : AdamOptimizer(as_adamw(options)) { decoupled_ = false; }

AdamOptimizer::AdamOptimizer(const AdamW& options) : OptimizerWith(options), decoupled_(true) {
    const char* who = "Adam";
    require_option(options.lr >= 0, who, "lr", ">= 0", options.lr);
    require_option(options.beta1 >= 0 && options.beta1 < 1, who, "beta1", "in [0, 1)", options.beta1);
    require_option(options.beta2 >= 0 && options.beta2 < 1, who, "beta2", "in [0, 1)", options.beta2);
    require_option(options.epsilon > 0, who, "epsilon", "> 0", options.epsilon);
    require_option(options.weight_decay >= 0, "AdamW", "weight_decay", ">= 0", options.weight_decay);
}

std::string AdamOptimizer::name() const {
    std::string n = decoupled_ ? "AdamW" : "Adam";
    return options_.amsgrad ? n + " (amsgrad)" : n;
}

void AdamOptimizer::allocate_state(const TensorView& params) {
    ensure_arena(m_, params);
    ensure_arena(v_, params);
    if (options_.amsgrad) ensure_arena(v_max_, params);
}

void AdamOptimizer::update(const TensorView& params, const TensorView& grads) {
    backend::adam_step(params, grads, m_, v_, v_max_,
                       {.lr = options_.lr,
                        .beta1 = options_.beta1,
                        .beta2 = options_.beta2,
                        .epsilon = options_.epsilon,
                        .weight_decay = options_.weight_decay,
                        .step = iterations_});
}

std::vector<std::pair<std::string, TensorView>> AdamOptimizer::state() const {
    if (m_.empty()) return {};
    std::vector<std::pair<std::string, TensorView>> s{{"m", m_.view()}, {"v", v_.view()}};
    if (options_.amsgrad) s.emplace_back("v_max", v_max_.view());
    return s;
}

OptimizerOptions AdamOptimizer::options() const {
    if (decoupled_) return options_;
    const AdamW& o = options_;
    return Adam{.lr = o.lr,
                .beta1 = o.beta1,
                .beta2 = o.beta2,
                .epsilon = o.epsilon,
                .amsgrad = o.amsgrad,
                .clipnorm = o.clipnorm,
                .clipvalue = o.clipvalue,
                .global_clipnorm = o.global_clipnorm};
}

}  // namespace mlp
