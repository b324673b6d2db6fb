// Loss: names and dispatch to the backend's loss kernels.
#include "mlp/losses/loss.hpp"

#include <array>
#include <utility>

#include "../backend/ops.hpp"
#include "mlp/core/error.hpp"

namespace mlp {

namespace {
using Kind = Loss::Kind;
constexpr std::array<std::pair<std::string_view, Kind>, 9> names{{
    {"mse", Kind::mse},
    {"mean_squared_error", Kind::mse},
    {"mae", Kind::mae},
    {"mean_absolute_error", Kind::mae},
    {"huber", Kind::huber},
    {"binary_crossentropy", Kind::binary_crossentropy},
    {"categorical_crossentropy", Kind::categorical_crossentropy},
    {"sparse_categorical_crossentropy", Kind::sparse_categorical_crossentropy},
    {"bce", Kind::binary_crossentropy},
}};
}  // namespace

Loss::Loss(std::string_view name, LossOptions options) : kind_(Kind::mse), options_(options) {
    bool found = false;
    for (const auto& [n, k] : names)
        if (n == name) {
            kind_ = k;
            found = true;
        }
    if (!found)
        throw ConfigError("unknown loss '" + std::string(name) +
                          "'; known: mse, mae, huber, binary_crossentropy, categorical_crossentropy, "
                          "sparse_categorical_crossentropy");
    if (options.from_logits && !is_crossentropy())
        throw ConfigError("loss '" + std::string(name) + "': from_logits applies only to cross-entropies");
    if (!(options.delta > 0)) throw ConfigError("huber: delta must be > 0, got " + std::to_string(options.delta));
}

bool Loss::is_crossentropy() const {
    return kind_ == Kind::binary_crossentropy || kind_ == Kind::categorical_crossentropy ||
           kind_ == Kind::sparse_categorical_crossentropy;
}

std::string Loss::name() const {
    for (const auto& [n, k] : names)
        if (k == kind_) return std::string(n);
    return "?";
}

Loss Loss::with_logits() const {
    Loss l = *this;
    l.options_.from_logits = true;
    return l;
}

double Loss::compute(const TensorView& pred, const TensorView& target, const TensorView& grad,
                     const TensorView& weights, const TensorView& total) const {
    const bool z = options_.from_logits;
    switch (kind_) {
        case Kind::mse: return backend::mse(pred, target, grad, weights, total);
        case Kind::mae: return backend::mae(pred, target, grad, weights, total);
        case Kind::huber: return backend::huber(pred, target, options_.delta, grad, weights, total);
        case Kind::binary_crossentropy:
            return z ? backend::binary_crossentropy_logits(pred, target, grad, weights, total)
                     : backend::binary_crossentropy(pred, target, grad, weights, total);
        case Kind::categorical_crossentropy:
            return z ? backend::categorical_crossentropy_logits(pred, target, grad, weights, total)
                     : backend::categorical_crossentropy(pred, target, grad, weights, total);
        case Kind::sparse_categorical_crossentropy:
            return z ? backend::sparse_categorical_crossentropy_logits(pred, target, grad, weights, total)
                     : backend::sparse_categorical_crossentropy(pred, target, grad, weights, total);
    }
    throw ConfigError("loss: unknown kind");
}

}  // namespace mlp
