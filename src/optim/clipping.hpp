// Gradient clipping as Keras applies it before an update: by value, by each
// tensor's norm, or by the global norm of all of them (in that order when several are given).
#pragma once

#include <span>

#include "mlp/optim/optimizer.hpp"

namespace mlp {

/// Clips `tensors` (views into the gradient arena `all`) as `clipping` says.
void clip_gradients(const GradientClipping& clipping, std::span<const TensorView> tensors, const TensorView& all);

}  // namespace mlp
