// The backend's op set: everything numeric that layers, losses and optimizers
// do goes through these functions. `cpu/` implements them with OpenBLAS, a
// thread team and SIMD loops; each checks its arguments, then hands views on
// a GPU to that device's backend (device_backend.hpp, cuda/), which implements
// the same list. Every op takes views of float32 or float64 data (all of one
// dtype, all on one device) and allocates nothing.
// Shapes: B = batch rows, I = input features, O = output features.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
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
/// dst = src; the one op whose views may be on two devices (a host-GPU transfer).
void copy(const TensorView& src, const TensorView& dst);
/// y = alpha * x + y
void axpy(double alpha, const TensorView& x, const TensorView& y);
/// src seen as (a, b, c) written to dst as (b, a, c), c = numel / (a b): batch-major
/// sequences (B, T, F) to time-major (T, B, F) and back.
void swap_leading_axes(const TensorView& src, std::int64_t a, std::int64_t b, const TensorView& dst);
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

// ---- dense stacks (cpu/dense_stack.cpp) ----
/// Whether f'(z) follows from a = f(z) alone (linear, relu, leaky_relu and elu
/// with α >= 0, sigmoid, tanh), so that activate_backward(f, a, a, da, dz)
/// gives it: a dense stack keeps only its layers' outputs.
bool derivative_from_output(const ActivationFunction& f);
/// L dense layers of one width W and one such activation f: a_l = f(a_(l-1)·W_l
/// + b_l) from a_0 = x (B, W), written to acts[l-1] (B, W); kernels (W, W);
/// biases all empty or all (W). acts[l] may be acts[l-2] (inference keeps two).
/// On a GPU the layers run in one kernel that keeps each tile of rows on chip
/// from layer to layer, where L products and L element-wise passes would each
/// go through memory.
void dense_stack_forward(const TensorView& x, std::span<const TensorView> kernels, std::span<const TensorView> biases,
                         const ActivationFunction& f, std::span<const TensorView> acts);
/// Its input gradients from dy = dL/da_L and the acts that forward wrote:
/// dz_l = da_l ⊙ f'(a_l) into dzs[l-1], da_(l-1) = dz_l·W_lᵀ, down to dx = da_0
/// (skipped when dx is empty). The weight gradients, a_(l-1)ᵀ·dz_l, are
/// products over the whole batch that the caller makes with gemm.
void dense_stack_backward(std::span<const TensorView> kernels, const ActivationFunction& f,
                          std::span<const TensorView> acts, const TensorView& dy, std::span<const TensorView> dzs,
                          const TensorView& dx);

// ---- regularization and normalization (cpu/regularization.cpp) ----
/// Returns l1·Σ|w| + l2·Σw²; when grad is not empty adds l1·sign(w) + 2·l2·w to it.
double regularize(const TensorView& w, const TensorView& grad, double l1, double l2);
/// w (I, O): each column j scaled by clip(‖w_j‖, 0, max) / (ε + ‖w_j‖), Keras's MaxNorm.
void max_norm_columns(const TensorView& w, double max_value);
/// Inverted dropout: mask = (u >= rate) / (1 - rate) from a counter-based hash of
/// (stream, first + i), so the mask depends only on the seed and the call
/// count, not on threads or device; y = x ⊙ mask. The stream mixes `seed` with
/// the count in `calls` (one float64 beside x, so that a recorded step reads
/// it anew at each replay), which then grows by `advance`. `first` numbers x's
/// first element within a larger batch that x is a part of.
void dropout(const TensorView& x, double rate, std::uint64_t seed, const TensorView& calls, std::uint64_t advance,
             std::uint64_t first, const TensorView& mask, const TensorView& y);
/// out = a ⊙ b
void multiply(const TensorView& a, const TensorView& b, const TensorView& out);
/// Batch normalization in training, per column of x (B, F): mean, biased var,
/// inv_std = 1/sqrt(var + ε), x̂ = (x - mean)·inv_std, y = γ x̂ + β (γ = 1 or
/// β = 0 when empty). y may alias x̂.
void batchnorm_forward(const TensorView& x, const TensorView& gamma, const TensorView& beta, double epsilon,
                       const TensorView& mean, const TensorView& var, const TensorView& inv_std,
                       const TensorView& x_hat, const TensorView& y);
/// dγ += Σ dy x̂, dβ += Σ dy (when not empty); dx = γ·inv_std/B · (B dy - Σdy - x̂ Σ(dy x̂))
/// (skipped when dx is empty).
void batchnorm_backward(const TensorView& dy, const TensorView& x_hat, const TensorView& gamma,
                        const TensorView& inv_std, const TensorView& dgamma, const TensorView& dbeta,
                        const TensorView& dx);
/// The same in steps, for statistics summed over several processes' rows
/// between them: per column of x (B, F), sums = Σ x, or Σ (x - center)² when
/// `center` is given (all in double).
void column_sums(const TensorView& x, std::span<const double> center, std::span<double> sums);
/// batchnorm_forward with the batch's mean and (biased) variance given: writes
/// them in the model's dtype to mean_out and var_out, inv_std, x̂ and y.
void batchnorm_normalize(const TensorView& x, const TensorView& gamma, const TensorView& beta, double epsilon,
                         std::span<const double> mean, std::span<const double> var, const TensorView& mean_out,
                         const TensorView& var_out, const TensorView& inv_std, const TensorView& x_hat,
                         const TensorView& y);
/// Per column: sum_dy = Σ dy, sum_dy_xh = Σ dy x̂ (double); dγ += Σ dy x̂, dβ += Σ dy when not empty.
void batchnorm_backward_sums(const TensorView& dy, const TensorView& x_hat, const TensorView& dgamma,
                             const TensorView& dbeta, std::span<double> sum_dy, std::span<double> sum_dy_xh);
/// dx = γ·inv_std/n · (n dy - Σdy - x̂ Σ(dy x̂)) with the sums and the row count n given.
void batchnorm_backward_dx(const TensorView& dy, const TensorView& x_hat, const TensorView& gamma,
                           const TensorView& inv_std, std::span<const double> sum_dy, std::span<const double> sum_dy_xh,
                           double n, const TensorView& dx);
/// Inference: y = γ (x - mean) / sqrt(var + ε) + β, from the moving statistics.
void batchnorm_infer(const TensorView& x, const TensorView& gamma, const TensorView& beta, const TensorView& mean,
                     const TensorView& var, double epsilon, const TensorView& y);

// ---- losses, mean over the batch (cpu/losses.cpp) ----
// Each returns the loss and, when `grad` is not empty, writes dL/dpred into it.
// Targets of the sparse forms are class ids (B) or (B, 1) stored as numbers.
// With sample `weights` (B), row r's loss counts wᵣ times: Σ wᵣ Lᵣ / B.
// With `total` (one float64 on pred's device) the loss is also written there:
// on a GPU it then stays there, the host does not wait for it, and the call
// returns NaN (a training step recorded once and replayed reads it after).
double mse(const TensorView& pred, const TensorView& target, const TensorView& grad, const TensorView& weights = {},
           const TensorView& total = {});
double mae(const TensorView& pred, const TensorView& target, const TensorView& grad, const TensorView& weights = {},
           const TensorView& total = {});
double huber(const TensorView& pred, const TensorView& target, double delta, const TensorView& grad,
             const TensorView& weights = {}, const TensorView& total = {});
double binary_crossentropy(const TensorView& prob, const TensorView& target, const TensorView& grad,
                           const TensorView& weights = {}, const TensorView& total = {});
double binary_crossentropy_logits(const TensorView& logits, const TensorView& target, const TensorView& grad,
                                  const TensorView& weights = {}, const TensorView& total = {});
double categorical_crossentropy(const TensorView& prob, const TensorView& target, const TensorView& grad,
                                const TensorView& weights = {}, const TensorView& total = {});
double categorical_crossentropy_logits(const TensorView& logits, const TensorView& target, const TensorView& grad,
                                       const TensorView& weights = {}, const TensorView& total = {});
double sparse_categorical_crossentropy(const TensorView& prob, const TensorView& labels, const TensorView& grad,
                                       const TensorView& weights = {}, const TensorView& total = {});
double sparse_categorical_crossentropy_logits(const TensorView& logits, const TensorView& labels,
                                              const TensorView& grad, const TensorView& weights = {},
                                              const TensorView& total = {});

// ---- optimizer updates over flat parameter arenas (cpu/optimizers.cpp) ----
/// PyTorch's SGD: v = μ v + g; p -= lr (nesterov ? g + μ v : v). velocity unused when μ = 0.
void sgd_step(const TensorView& params, const TensorView& grads, const TensorView& velocity, double lr, double momentum,
              bool nesterov);
struct AdamStep {
    double lr = 1e-3, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8;
    double weight_decay = 0;  ///< decoupled (AdamW): p -= lr·wd·p first
    std::int64_t step = 1;    ///< t >= 1
};
/// Adam at step t (PyTorch's form): m = β1 m + (1-β1) g; v = β2 v + (1-β2) g²;
/// v̂ = amsgrad ? (v_max = max(v_max, v)) : v; p -= lr/(1-β1^t) · m / (sqrt(v̂)/sqrt(1-β2^t) + ε).
/// v_max empty: no amsgrad.
void adam_step(const TensorView& params, const TensorView& grads, const TensorView& m, const TensorView& v,
               const TensorView& v_max, const AdamStep& h);
/// RMSprop (PyTorch's form): s = ρ s + (1-ρ) g²; centered (grad_avg not empty):
/// a = ρ a + (1-ρ) g, s̃ = s - a²; d = g / (sqrt(s̃) + ε); momentum (buffer not
/// empty): b = μ b + d, p -= lr b; else p -= lr d.
void rmsprop_step(const TensorView& params, const TensorView& grads, const TensorView& square_avg,
                  const TensorView& grad_avg, const TensorView& momentum_buffer, double lr, double rho, double epsilon,
                  double momentum);
/// Adagrad: s += g²; p -= lr g / (sqrt(s) + ε).
void adagrad_step(const TensorView& params, const TensorView& grads, const TensorView& sum, double lr, double epsilon);
/// x *= alpha
void scale(const TensorView& x, double alpha);
/// x = clamp(x, -limit, limit)
void clip_values(const TensorView& x, double limit);
/// y = (x - center) / scale per column; x, y (B, F); center, scale (F). An
/// empty center means 0.
void normalize_columns(const TensorView& x, const TensorView& center, const TensorView& scale, const TensorView& y);

// ---- recording (cpu/recording.cpp) ----
/// Ops recorded once on a device and replayed as one (a CUDA graph): a
/// training step of small layers is then not bound by launching its kernels.
class Recording {
public:
    virtual ~Recording() = default;
    /// Runs the recorded ops again, on the same memory, after the work before.
    virtual void replay() = 0;
};
/// The ops that `work` issues on `device`, recorded without running them; or
/// nullptr when they cannot be: on the CPU, or when one of them reads a result
/// back to the host, allocates, or reads host memory. Nothing has run either
/// way, and with nullptr the caller runs `work` itself. The memory the ops
/// touch must stay allocated, in place, as long as the recording is replayed.
std::unique_ptr<Recording> record(const Device& device, const std::function<void()>& work);

// ---- reading results back late (cpu/readback.cpp) ----
/// Views copied from a device to the host without the host waiting for the
/// work before them: send() queues the copies after that work and returns at
/// once; arrived() waits for those copies alone. fit reads each step's loss
/// and outputs this way a few steps late, so the host queues the next steps
/// while the GPU still works on this one instead of leaving it idle.
class Readback {
public:
    virtual ~Readback() = default;
    /// Queues a copy of each view into host memory of this readback's own,
    /// which grows to fit (only then does it allocate).
    virtual void send(std::span<const TensorView> from) = 0;
    /// Waits for the last send's copies: host views of them, in its order,
    /// valid until the next send.
    virtual std::span<const TensorView> arrived() = 0;
};
/// A readback from `device`; on the CPU and by default, send() copies at once.
std::unique_ptr<Readback> readback(const Device& device);

}  // namespace mlp::backend
