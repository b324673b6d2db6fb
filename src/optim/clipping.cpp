// Gradient clipping: g ← g · c / max(‖g‖, c) per tensor or over all of them;
// or g ← clamp(g, -c, c) per element.
#include "clipping.hpp"

#include <cmath>

#include "../backend/ops.hpp"

namespace mlp {

void clip_gradients(const GradientClipping& clipping, std::span<const TensorView> tensors, const TensorView& all) {
    if (clipping.clipvalue > 0) backend::clip_values(all, clipping.clipvalue);
    if (clipping.clipnorm > 0)
        for (const auto& g : tensors) {
            const double norm = std::sqrt(backend::squared_norm(g));
            if (norm > clipping.clipnorm) backend::scale(g, clipping.clipnorm / norm);
        }
    if (clipping.global_clipnorm > 0) {
        const double norm = std::sqrt(backend::squared_norm(all));
        if (norm > clipping.global_clipnorm) backend::scale(all, clipping.global_clipnorm / norm);
    }
}

}  // namespace mlp
