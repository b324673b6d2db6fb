// The backend's op set: everything numeric that layers, losses and optimizers
// do goes through these functions. `cpu/` implements them with OpenBLAS, OpenMP
// and SIMD loops; a CUDA backend would implement the same list. Every op takes
// views of float32 or float64 data (all of one dtype) and allocates nothing.
// Shapes: B = batch rows, I = input features, O = output features.
#pragma once

#include <cstdint>
#include <span>

#include "mlp/core/activation_function.hpp"
#include "mlp/core/tensor.hpp"

namespace mlp::backend {

// ---- linear algebra (cpu/gemm.cpp) ----
/// c = alpha * op(a) * op(b) + beta * c, op = transpose when asked.
void gemm(const TensorView& a, bool transpose_a, const TensorView& b, bool transpose_b, const TensorView& c,
          double alpha = 1.0, double beta = 0.0);

// ---- element-wise and reductions (cpu/elementwise.cpp) ----
void fill(const TensorView& x, double value);
void copy(const TensorView& src, const TensorView& dst);
/// y = alpha * x + y
void axpy(double alpha, const TensorView& x, const TensorView& y);
/// dst row i = src row rows[i]: a shuffled mini-batch without a per-sample loop in the caller.
void gather_rows(const TensorView& src, std::span<const std::int64_t> rows, const TensorView& dst);
/// db (O) += Σ_rows dz (B, O)
void add_column_sums(const TensorView& dz, const TensorView& db);
/// Index of the first NaN or Inf, or -1.
std::int64_t find_non_finite(const TensorView& x);
/// Σ x² in double precision.
double squared_norm(const TensorView& x);

// ---- activations (cpu/activations.cpp) ----
/// z (B, O) += bias (O) when bias is not empty, then a = f(z). a may alias z.
void bias_activate(const TensorView& z, const TensorView& bias, const ActivationFunction& f, const TensorView& a);
/// dz = da ⊙ f'(z), from the z and a = f(z) that forward saved. dz may alias da.
void activate_backward(const ActivationFunction& f, const TensorView& z, const TensorView& a, const TensorView& da,
                       const TensorView& dz);

// ---- losses, mean over the batch (cpu/losses.cpp) ----
// Each returns the loss and, when `grad` is not empty, writes dL/dpred into it.
// Targets of the sparse forms are class ids (B) or (B, 1) stored as numbers.
double mse(const TensorView& pred, const TensorView& target, const TensorView& grad);
double mae(const TensorView& pred, const TensorView& target, const TensorView& grad);
double huber(const TensorView& pred, const TensorView& target, double delta, const TensorView& grad);
double binary_crossentropy(const TensorView& prob, const TensorView& target, const TensorView& grad);
double binary_crossentropy_logits(const TensorView& logits, const TensorView& target, const TensorView& grad);
double categorical_crossentropy(const TensorView& prob, const TensorView& target, const TensorView& grad);
double categorical_crossentropy_logits(const TensorView& logits, const TensorView& target, const TensorView& grad);
double sparse_categorical_crossentropy(const TensorView& prob, const TensorView& labels, const TensorView& grad);
double sparse_categorical_crossentropy_logits(const TensorView& logits, const TensorView& labels,
                                              const TensorView& grad);

// ---- optimizer updates over flat parameter arenas (cpu/optimizers.cpp) ----
/// PyTorch's SGD: v = μ v + g; p -= lr (nesterov ? g + μ v : v). velocity unused when μ = 0.
void sgd_step(const TensorView& params, const TensorView& grads, const TensorView& velocity, double lr,
              double momentum, bool nesterov);
/// Adam at step t >= 1 (PyTorch's form): m = β1 m + (1-β1) g; v = β2 v + (1-β2) g²;
/// p -= lr/(1-β1^t) · m / (sqrt(v)/sqrt(1-β2^t) + ε).
void adam_step(const TensorView& params, const TensorView& grads, const TensorView& m, const TensorView& v,
               double lr, double beta1, double beta2, double epsilon, std::int64_t t);

}  // namespace mlp::backend
