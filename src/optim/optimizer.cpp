// Optimizer: the shared step (state on first use, step count), checkpoint
// state, and construction from options or a name.
#include "mlp/optim/optimizer.hpp"

#include "../backend/ops.hpp"
#include "../core/number_text.hpp"
#include "mlp/core/error.hpp"
#include "optimizers.hpp"

namespace mlp {

void require_option(bool ok, const char* who, const char* what, const char* rule, double value) {
    if (!ok) throw ConfigError(std::string(who) + ": " + what + " must be " + rule + ", got " + number_text(value));
}

Optimizer::Optimizer(GradientClipping clipping) : clipping_(clipping) {
    require_option(clipping.clipnorm >= 0, "optimizer", "clipnorm", ">= 0 (0 = off)", clipping.clipnorm);
    require_option(clipping.clipvalue >= 0, "optimizer", "clipvalue", ">= 0 (0 = off)", clipping.clipvalue);
    require_option(clipping.global_clipnorm >= 0, "optimizer", "global_clipnorm", ">= 0 (0 = off)",
                   clipping.global_clipnorm);
}

void Optimizer::step(const TensorView& params, const TensorView& grads) {
    allocate_state(params);  // once: a no-op while the sizes match
    ++iterations_;
    update(params, grads);
}

void Optimizer::load_state(const std::vector<std::pair<std::string, TensorView>>& saved, std::int64_t iterations) {
    if (iterations < 0)
        throw ConfigError(name() + ": a saved step count must be >= 0, got " + std::to_string(iterations));
    if (!saved.empty()) {
        const TensorView& first = saved.front().second;
        allocate_state(
            TensorView(first.raw(), first.shape(), first.dtype(), device_));  // sized as saved, on our device
        const auto mine = state();
        if (mine.size() != saved.size())
            throw ConfigError(name() + ": the saved state has " + std::to_string(saved.size()) +
                              " arenas, this optimizer keeps " + std::to_string(mine.size()));
        for (std::size_t i = 0; i < mine.size(); ++i) {
            if (mine[i].first != saved[i].first || mine[i].second.numel() != saved[i].second.numel())
                throw ShapeError(name() + ": saved state '" + saved[i].first + "' " + saved[i].second.shape().str() +
                                 " does not match '" + mine[i].first + "' " + mine[i].second.shape().str());
            Tensor converted = Tensor::copy_of(saved[i].second).to(mine[i].second.dtype());
            backend::copy(converted, mine[i].second);
        }
    }
    iterations_ = iterations;
}

void Optimizer::to(const Device& device) {
    device_ = device;
    const auto before = state();
    if (before.empty() || before.front().second.device() == device) return;
    std::vector<Tensor> kept;
    for (const auto& [name, arena] : before) kept.push_back(Tensor::copy_of(arena));
    const Tensor& first = kept.front();
    allocate_state(TensorView(first.view().raw(), first.shape(), first.dtype(), device));  // new arenas there
    const auto after = state();
    for (std::size_t i = 0; i < after.size(); ++i) backend::copy(kept[i], after[i].second);
}

std::unique_ptr<Optimizer> Optimizer::make(const OptimizerOptions& options) {
    return std::visit(
        [](const auto& o) -> std::unique_ptr<Optimizer> {
            using O = std::decay_t<decltype(o)>;
            if constexpr (std::is_same_v<O, SGD>)
                return std::make_unique<SgdOptimizer>(o);
            else if constexpr (std::is_same_v<O, Adam> || std::is_same_v<O, AdamW>)
                return std::make_unique<AdamOptimizer>(o);
            else if constexpr (std::is_same_v<O, RMSprop>)
                return std::make_unique<RmspropOptimizer>(o);
            else
                return std::make_unique<AdagradOptimizer>(o);
        },
        options);
}

OptimizerOptions optimizer_from_name(const std::string& name) {
    if (name == "sgd") return SGD{};
    if (name == "momentum") return SGD{.momentum = 0.9};
    if (name == "nesterov") return SGD{.momentum = 0.9, .nesterov = true};
    if (name == "adam") return Adam{};
    if (name == "amsgrad") return Adam{.amsgrad = true};
    if (name == "adamw") return AdamW{};
    if (name == "rmsprop") return RMSprop{};
    if (name == "adagrad") return Adagrad{};
    throw ConfigError("unknown optimizer '" + name +
                      "'; known: sgd, momentum, nesterov, adam, amsgrad, adamw, rmsprop, adagrad");
}

}  // namespace mlp
