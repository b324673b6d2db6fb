// Weight penalties and constraints for a layer's kernel, as Keras's
// kernel_regularizer and kernel_constraint:
//
//   mlp::Dense(64, "relu", {.kernel_regularizer = mlp::l2(1e-4),
//                           .kernel_constraint = mlp::MaxNorm{.max_value = 3}})
#pragma once

namespace mlp {

/// Adds l1·Σ|w| + l2·Σw² to the loss (the gradient l1·sign(w) + 2·l2·w to dw).
struct Regularizer {
    double l1 = 0.0;
    double l2 = 0.0;
    bool any() const { return l1 != 0 || l2 != 0; }
};

inline Regularizer l1(double factor) { return {.l1 = factor}; }
inline Regularizer l2(double factor) { return {.l2 = factor}; }
inline Regularizer l1_l2(double l1_factor, double l2_factor) { return {.l1 = l1_factor, .l2 = l2_factor}; }

/// After each optimizer step, rescales each unit's incoming weights (a kernel
/// column) to norm <= max_value, as Keras's MaxNorm (Srivastava et al. 2014).
struct MaxNorm {
    double max_value = 2.0;
};

}  // namespace mlp
