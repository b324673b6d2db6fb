// State arenas of optimizers: allocated (zeroed) at the parameter arena's size, where it lives.
#pragma once

#include "mlp/core/tensor.hpp"

namespace mlp {

/// Gives `arena` the shape, dtype and device of `params`, zeroed, unless it has them.
inline void ensure_arena(Tensor& arena, const TensorView& params) {
    if (arena.numel() != params.numel() || arena.dtype() != params.dtype() || arena.device() != params.device())
        arena = Tensor(params.shape(), params.dtype(), params.device());
}

}  // namespace mlp
