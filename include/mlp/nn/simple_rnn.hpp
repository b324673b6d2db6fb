// SimpleRNN: the Elman recurrent layer. Over a sequence x_1..x_T of F
// features each, h_t = σ(x_t W_x + h_{t-1} W_h + b), h_0 = 0, σ = tanh by
// default. Trained by backpropagation through time: the gradient at h_t is
// what step t's output receives plus what flows back from h_{t+1} through W_h,
// so it shrinks (or grows) by the factor σ'·W_hᵀ at every step it travels.
//
// A batch of sequences is a (B, T*F) tensor, (B, T, F) in row-major order;
// the layer returns the last state (B, U) or every state (B, T*U).
//
//   mlp::Sequential model(T * 2, {mlp::SimpleRNN(32, {.features = 2}), mlp::Dense(1)});
//   mlp::SimpleRNN(16, {.features = 1, .return_sequences = true, .truncate = 5})
#pragma once

#include <vector>

#include "mlp/init/initializer.hpp"
#include "mlp/nn/layer.hpp"

namespace mlp {

struct SimpleRNNOptions {
    std::int64_t features = 1;      ///< F, per time step; the input width must be a multiple
    bool return_sequences = false;  ///< every h_t (B, T*U), or only h_T (B, U)
    int truncate = 0;               ///< truncated BPTT: the gradient crosses no boundary between
                                    ///< chunks of this many steps (0: full BPTT)
    ActivationFunction activation = "tanh";
    Initializer init = "glorot_uniform";        ///< W_x (F, U)
    Initializer recurrent_init = "orthogonal";  ///< W_h (U, U), as Keras
    bool use_bias = true;
};

class SimpleRNN : public LayerBase<SimpleRNN> {
public:
    explicit SimpleRNN(std::int64_t units, SimpleRNNOptions options = {});

    std::string type() const override { return "SimpleRNN"; }
    std::string details() const override;
    std::vector<ParameterSpec> parameter_specs() const override;
    bool recordable() const override { return false; }  // backward records the state gradients' norms
    void initialize(Random& rng) override;
    std::int64_t output_features(std::int64_t in_features) const override;

    std::int64_t units() const { return units_; }
    const SimpleRNNOptions& options() const { return options_; }
    /// T, once built.
    std::int64_t timesteps() const { return in_features() / options_.features; }
    /// ||dL/dh_t|| over the batch for t = 1..T, from the last backward: how
    /// much gradient reached each step (before it went into W_x, W_h, b).
    const std::vector<double>& state_gradient_norms() const { return state_gradient_norms_; }

private:
    void build_buffers() override;
    TensorView do_forward(const TensorView& x, bool training) override;
    TensorView do_backward(const TensorView& dy) override;
    void do_infer(const TensorView& x, const TensorView& y) const override;
    /// The recurrence over time-major inputs xs (T*B, F) into zs (T*B, U) and hs ((T+1)*B, U), h_0 = 0.
    void run(const TensorView& xs, const TensorView& zs, const TensorView& hs, std::int64_t batch) const;

    std::int64_t units_;
    SimpleRNNOptions options_;
    Tensor xs_;   // (T*B, F) the inputs, time-major, read by backward for dW_x
    Tensor zs_;   // (T*B, U) pre-activations, read by backward for σ'(z)
    Tensor hs_;   // ((T+1)*B, U) h_0 = 0, h_1..h_T, read by backward for dW_h and σ'
    Tensor y_;    // (B, T*U) every state, batch-major, when return_sequences
    Tensor dys_;  // (T*B, U) the output gradient, time-major, when return_sequences
    Tensor dzs_;  // (T*B, U)
    Tensor dh_;   // (B, U) the gradient flowing back along the recurrence
    Tensor dxs_;  // (T*B, F)
    Tensor dx_;   // (B, T*F)
    std::vector<double> state_gradient_norms_;
};

}  // namespace mlp
