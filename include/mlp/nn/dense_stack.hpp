// DenseStack: `depth` dense layers of one width and one activation as one
// layer, a_l = σ(a_(l-1)·W_l + b_l): the function of that many Dense layers.
// On a GPU the layers of a narrow stack run as one fused kernel that keeps
// each tile of rows on chip from layer to layer, where Dense layers make a
// product and an element-wise pass through memory each: at widths of 64 or
// 128 those passes, not the arithmetic, bound the training step (Müller et
// al. 2021, the "fully fused MLP").
//
//   mlp::DenseStack(64, 8, "relu")   // 8 ReLU layers of 64 units
//
// It keeps each layer's output, not its pre-activation, for backward, so its
// activation is one whose derivative follows from the output: linear, relu,
// leaky_relu, elu, sigmoid or tanh. Its parameters are kernel_1, bias_1, ...,
// kernel_<depth>, bias_<depth>, the first kernel (I, units), the others
// (units, units).
#pragma once

#include "mlp/init/initializer.hpp"
#include "mlp/nn/layer.hpp"

namespace mlp {

struct DenseStackOptions {
    Initializer init{};  ///< every kernel's initializer; "auto" follows the activation
    Initializer bias_init = "zeros";
    bool use_bias = true;
};

class DenseStack : public LayerBase<DenseStack> {
public:
    DenseStack(std::int64_t units, int depth, ActivationFunction activation = "relu", DenseStackOptions options = {});

    std::string type() const override { return "DenseStack"; }
    std::string details() const override;
    std::vector<ParameterSpec> parameter_specs() const override;
    void initialize(Random& rng) override;
    bool writes_all_gradients() const override { return true; }

    std::int64_t units() const { return units_; }
    int depth() const { return depth_; }
    const ActivationFunction& activation() const { return activation_; }
    /// The kernel initializer in use ("auto" resolved).
    const Initializer& kernel_initializer() const { return init_; }
    const DenseStackOptions& options() const { return options_; }
    /// Layer l's (from 0) kernel and bias (empty without bias).
    const Parameter& kernel(int l) const { return parameter(index(l)); }
    TensorView bias(int l) const;

private:
    std::int64_t output_features(std::int64_t) const override { return units_; }
    TensorView do_forward(const TensorView& x, bool training) override;
    TensorView do_backward(const TensorView& dy) override;
    void do_infer(const TensorView& x, const TensorView& y) const override;

    void parameters_bound() override;

    std::size_t index(int l) const { return static_cast<std::size_t>(l) * (options_.use_bias ? 2 : 1); }
    /// The layers the fused op runs: all, or all but the first when it changes the width.
    int first_square() const { return in_features() == units_ ? 0 : 1; }
    /// `views` = each layer's (B, units) rows of `cache`.
    void blocks(const Tensor& cache, std::int64_t batch, std::vector<TensorView>& views) const;
    /// x through every layer, layer l's output into outs[l]: the first layer
    /// by gemm and bias_activate when it changes the width, the rest by the
    /// op set's dense stack.
    void forward_into(const TensorView& x, std::span<const TensorView> outs) const;

    std::int64_t units_;
    int depth_;
    ActivationFunction activation_;
    DenseStackOptions options_;
    Initializer init_;

    std::vector<TensorView> kernels_, biases_;      // the bound parameters' values, layer by layer (no biases without)
    TensorView x_;                                  // (B, I) the last forward's input
    Tensor acts_;                                   // (depth·B, units): each layer's output, a_1 .. a_depth
    Tensor dzs_;                                    // (depth·B, units): each layer's dL/dz
    Tensor dx_;                                     // (B, I)
    std::vector<TensorView> act_views_, dz_views_;  // acts_ and dzs_ a layer a view
};

}  // namespace mlp
