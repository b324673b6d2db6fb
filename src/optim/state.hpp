// State arenas of optimizers: allocated (zeroed) at the parameter arena's size.
#pragma once

#include "mlp/core/tensor.hpp"

namespace mlp {

/// Gives `arena` the shape and dtype of `params`, zeroed, unless it has them.
inline void ensure_arena(Tensor& arena, const TensorView& params) {
    if (arena.numel() != params.numel() || arena.dtype() != params.dtype())
        arena = Tensor(params.shape(), params.dtype());
}

}  // namespace mlp
